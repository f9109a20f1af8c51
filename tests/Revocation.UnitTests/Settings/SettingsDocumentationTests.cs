using System.Reflection;
using System.Text.Json.Nodes;

namespace Revocation.UnitTests.Settings;

/// <summary>
/// <c>docs/configuration.md</c>, the programs' <c>appsettings*.json</c> and the options classes say
/// the same: every setting a program's options offer is documented, and every documented or
/// shipped key is one the program reads. A renamed, added or removed setting fails here until the
/// document and the files follow.
/// </summary>
public sealed class SettingsDocumentationTests
{
    private static readonly ConfigurationDocument Document = ConfigurationDocument.Read();
    private static readonly string[] ProgramAssemblies = ["Revocation.Silo", "Revocation.Api", "Revocation.AspNetCore", "Revocation.Grains"];

    [Fact]
    public void EverySiloSetting_IsDocumented() =>
        AssertEveryKeyDocumented(ProgramSettings.Silo, Document.Silo, "the silo's table");

    [Fact]
    public void EveryApiNodeSetting_IsDocumented() =>
        AssertEveryKeyDocumented(ProgramSettings.Api, Document.Api, "the API node's table");

    [Fact]
    public void EveryDocumentedSiloSetting_IsReadByTheSilo() =>
        AssertEveryDocumentedKeyRead(ProgramSettings.Silo, Document.Silo);

    [Fact]
    public void EveryDocumentedApiNodeSetting_IsReadByTheApiNode() =>
        AssertEveryDocumentedKeyRead(ProgramSettings.Api, Document.Api);

    [Theory]
    [InlineData("src/Silo/appsettings.json")]
    [InlineData("src/Api/Revocation.Api/appsettings.json")]
    [InlineData("src/Api/Revocation.Api/appsettings.Development.json")]
    public void EveryKeyOfTheShippedAppSettings_IsRead(string file)
    {
        var program = file.StartsWith("src/Silo/", StringComparison.Ordinal) ? ProgramSettings.Silo : ProgramSettings.Api;
        var keys = Flatten(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)))!, "")
            .Where(key => !HostOnlyKeys.Any(host => key == host || key.StartsWith(host + ":", StringComparison.Ordinal)))
            .ToList();
        var unread = keys.Select(program.WhyNotReadKey).OfType<string>().ToList();

        Assert.NotEmpty(keys);
        Assert.True(unread.Count == 0, $"In {file} but not read:\n{string.Join("\n", unread)}");
    }

    [Fact]
    public void EveryOptionsSection_IsKnownToOneProgram()
    {
        var assemblies = ProgramAssemblies.Select(Assembly.Load);
        var declared = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .Select(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static))
            .Where(field => field is { IsLiteral: true } && field.FieldType == typeof(string))
            .Select(field => (string)field!.GetRawConstantValue()!)
            .Distinct()
            .ToList();
        var known = ProgramSettings.Silo.OwnedSections.Concat(ProgramSettings.Api.OwnedSections)
            .Concat(["GrainDirectory"]) // Orleans' own options, bound from our section
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.True(declared.Count > 15, $"Only {declared.Count} sections found: the scan is broken.");
        var unknown = declared.Where(section => !known.Contains(section)).ToList();
        Assert.True(unknown.Count == 0, $"Options sections no program's catalogue (ProgramSettings) lists: {string.Join(", ", unknown)}");
    }

    /// <summary>ASP.NET Core's own settings, read by the host, not by an options class of ours.</summary>
    private static readonly string[] HostOnlyKeys = ["Logging", "AllowedHosts"];

    private static IEnumerable<string> Flatten(JsonNode node, string prefix) => node switch
    {
        JsonObject o => o.SelectMany(p => Flatten(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}:{p.Key}")),
        JsonArray a => a.SelectMany((item, i) => Flatten(item!, $"{prefix}:{i}")),
        _ => [prefix],
    };

    private static void AssertEveryKeyDocumented(ProgramSettings program, IReadOnlyList<string> documented, string table)
    {
        var expanded = documented.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = program.OwnedKeys().Where(key => !expanded.Contains(key)).Order().ToList();

        Assert.True(missing.Count == 0, $"Settings missing from {table} in {ConfigurationDocument.Path}:\n{string.Join("\n", missing)}");
    }

    private static void AssertEveryDocumentedKeyRead(ProgramSettings program, IReadOnlyList<string> documented)
    {
        var unread = documented.Select(program.WhyNotReadKey).OfType<string>().ToList();

        Assert.True(documented.Count > 20, $"Only {documented.Count} settings documented: the parse of {ConfigurationDocument.Path} is broken.");
        Assert.True(unread.Count == 0, $"Documented in {ConfigurationDocument.Path} but not read:\n{string.Join("\n", unread)}");
    }
}
