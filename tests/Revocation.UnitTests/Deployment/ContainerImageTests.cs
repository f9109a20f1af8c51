using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Revocation.Hosting;
using static Revocation.Testing.YamlDocuments;

namespace Revocation.UnitTests.Deployment;

/// <summary>
/// The Dockerfiles and docker-compose.yml, read as text: images without curl whose health check is
/// the executable's own probe mode, base images given as build arguments (so a digest can pin
/// them), and a compose database whose services connect as least-privilege roles, never as the
/// superuser.
/// </summary>
public sealed partial class ContainerImageTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "src/Silo/Dockerfile", "Revocation.Silo.dll" },
        { "src/Api/Revocation.Api/Dockerfile", "Revocation.Api.dll" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_HasNoCurl_AndChecksItsHealthWithItsOwnProbeMode(string dockerfile, string dll)
    {
        var instructions = Instructions(dockerfile);

        Assert.DoesNotContain(instructions, line => line.Contains("curl", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(instructions, line => line.Contains("apt-get install", StringComparison.Ordinal));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{dll}\"]", instructions.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        var health = instructions.Single(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.EndsWith($"CMD [\"dotnet\", \"{dll}\", \"{HealthProbe.Command}\"]", health);

        // The probe's default URL is the port the image listens on, and it gives up before the check's timeout.
        Assert.Contains("Urls=http://+:8080", instructions.Single(l => l.StartsWith("ENV", StringComparison.Ordinal) && l.Contains("Urls=", StringComparison.Ordinal)));
        Assert.Equal(8080, new Uri(HealthProbe.DefaultUrl).Port);
        Assert.True(HealthProbe.Timeout < TimeSpan.FromSeconds(int.Parse(HealthTimeout().Match(health).Groups[1].Value)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void BaseImages_AreBuildArguments_SoADigestCanPinThem(string dockerfile, string dll)
    {
        _ = dll;
        var instructions = Instructions(dockerfile);
        var arguments = instructions.Where(l => l.StartsWith("ARG ", StringComparison.Ordinal))
            .Select(l => l[4..].Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1));
        var froms = instructions.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, froms.Count);
        Assert.All(froms, from =>
        {
            var argument = FromArgument().Match(from);
            Assert.True(argument.Success, $"'{from}' names its image directly: make it a build argument");
            Assert.StartsWith("mcr.microsoft.com/dotnet/", arguments[argument.Groups[1].Value]);
        });
        Assert.Contains("@sha256:", File.ReadAllText(Path.Combine(RepoPaths.Root, dockerfile))); // the pin is documented where it is set
    }

    [Fact]
    public void Compose_HealthChecksUseTheImagesProbeMode_AndBaseImagesAreVariables()
    {
        var compose = Compose();
        var silo = compose["services"]!["silo"]!;
        var api = compose["x-api-node"]!;

        Assert.Equal(["CMD", "dotnet", "Revocation.Silo.dll", HealthProbe.Command], silo["healthcheck"]!["test"]!.AsArray().Select(Str));
        Assert.Equal(["CMD", "dotnet", "Revocation.Api.dll", HealthProbe.Command], api["healthcheck"]!["test"]!.AsArray().Select(Str));
        Assert.DoesNotContain("curl", compose.ToJsonString(), StringComparison.Ordinal);
        Assert.All(compose["x-base-images"]!.AsObject(), arg => Assert.StartsWith("${REGISTRY_", Str(arg.Value)));
    }

    [Fact]
    public void Compose_ServicesConnectAsTheirRoles_NeverAsTheSuperuser()
    {
        var compose = Compose();
        var services = compose["services"]!;
        var superuser = Str(services["postgres"]!["environment"]!["POSTGRES_USER"]);
        string User(JsonNode? environment) => new Npgsql.NpgsqlConnectionStringBuilder(Str(environment!["ConnectionStrings__Registry"])).Username!;

        var owner = User(services["migrate"]!["environment"]);
        var silo = User(services["silo"]!["environment"]);
        var api = User(compose["x-api-node"]!["environment"]);

        Assert.Equal("postgres", superuser);
        Assert.Equal(["registry", "registry_api_login", "registry_silo_login"], new[] { owner, silo, api }.Order());
        Assert.DoesNotContain(superuser, new[] { owner, silo, api });

        // The init script the postgres service runs on a new volume makes exactly these logins, and the groups' members.
        Assert.Contains("./deploy/compose/initdb:/docker-entrypoint-initdb.d:ro", services["postgres"]!["volumes"]!.AsArray().Select(Str));
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "compose", "initdb", "10-registry-roles.sh"));
        Assert.Contains($"CREATE ROLE {owner} LOGIN", script);
        Assert.Contains($"CREATE ROLE {silo} LOGIN PASSWORD :'silo_password' IN ROLE registry_silo;", script);
        Assert.Contains($"CREATE ROLE {api} LOGIN PASSWORD :'api_password' IN ROLE registry_api;", script);
        Assert.Contains($"CREATE DATABASE registry OWNER {owner};", script);
    }

    private static JsonObject Compose() =>
        ParseDocuments(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"))).Single();

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments dropped.</summary>
    private static List<string> Instructions(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, dockerfile));
        var lines = text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).ToList();
        return [.. string.Join('\n', lines).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => MultipleSpaces().Replace(l.Trim(), " ")).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"^FROM \$\{([A-Z_]+)\}( AS \w+)?$")]
    private static partial Regex FromArgument();

    [GeneratedRegex(@"--timeout=(\d+)s")]
    private static partial Regex HealthTimeout();

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultipleSpaces();
}
