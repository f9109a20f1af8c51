using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Orleans.Hosting.Kubernetes;
using Revocation.Api.Authentication;
using Revocation.Api.Hosting;
using Revocation.Api.Issuing;
using Revocation.Api.OAuth;
using Revocation.Api.Registry;
using Revocation.AspNetCore;
using Revocation.Grains;
using Revocation.Silo.Hosting;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// The settings each program reads, taken from its own options classes and constants: an
/// environment variable <c>Section__Key</c> (or <c>Section__List__0__Key</c>) names a setting only
/// when the class bound from that section has that property, so renaming a setting in the code
/// makes a manifest that still sets the old name fail its test.
/// </summary>
public sealed class ProgramSettings
{
    private static readonly string[] HostSettings =
    [
        WebHostDefaults.ServerUrlsKey, // "urls": the program's HTTP endpoints
        "ASPNETCORE_" + WebHostDefaults.EnvironmentKey.ToUpperInvariant(),
        $"ConnectionStrings__{RegistryDatabaseOptions.ConnectionStringName}",
    ];

    public static ProgramSettings Silo { get; } = new(
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [RegistryClusterOptions.SectionName] = typeof(RegistryClusterOptions),
            [RegistryDatabaseOptions.SectionName] = typeof(RegistryDatabaseOptions),
            [RejuvenationOptions.SectionName] = typeof(RejuvenationOptions),
            [TokenGrainOptions.SectionName] = typeof(TokenGrainOptions),
            [SubjectRevocationOptions.SectionName] = typeof(SubjectRevocationOptions),
            [ClusterTlsSection] = ClusterTlsOptionsOf(typeof(RegistryClusterOptions).Assembly),
        },
        [
            .. HostSettings,
            EnvName(KubernetesHosting.EnabledSetting),
            KubernetesHostingOptions.PodNameEnvironmentVariable,
            KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
            KubernetesHostingOptions.PodIPEnvironmentVariable,
        ]);

    public static ProgramSettings Api { get; } = new(
        new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
        {
            [RegistryClientOptions.SectionName] = typeof(RegistryClientOptions),
            [JwtOptions.SectionName] = typeof(JwtOptions),
            [ManagementOptions.SectionName] = typeof(ManagementOptions),
            [OAuthClientOptions.SectionName] = typeof(OAuthClientOptions),
            [IssuerOptions.SectionName] = typeof(IssuerOptions),
            [RevocationCheckOptions.SectionName] = typeof(RevocationCheckOptions),
            [LogoutEverywhereOptions.SectionName] = typeof(LogoutEverywhereOptions),
            [ClusterTlsSection] = ClusterTlsOptionsOf(typeof(RevocationCheckOptions).Assembly),
        },
        HostSettings);

    private const string ClusterTlsSection = "ClusterTls";

    private readonly IReadOnlyDictionary<string, Type> _sections;
    private readonly HashSet<string> _plain;

    private ProgramSettings(IReadOnlyDictionary<string, Type> sections, IEnumerable<string> plain)
    {
        _sections = sections;
        _plain = new HashSet<string>(plain, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The <c>ClusterTls</c> options class compiled into <paramref name="program"/> (the silo and the
    /// client library each hold their own internal copy of the shared source, so it is found by name).
    /// </summary>
    private static Type ClusterTlsOptionsOf(Assembly program) =>
        program.GetType("Revocation.ClusterTls.ClusterTlsOptions", throwOnError: true)!;

    /// <summary>The environment variable name of a configuration key (<c>A:B</c> → <c>A__B</c>).</summary>
    public static string EnvName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Null when the program reads <paramref name="variable"/>; otherwise why not.</summary>
    public string? WhyNotRead(string variable)
    {
        if (_plain.Contains(variable))
        {
            return null;
        }

        var parts = variable.Split("__");
        if (parts.Length < 2 || !_sections.TryGetValue(parts[0], out var type))
        {
            return $"{variable}: no setting of that name, and no options class for section '{parts[0]}'";
        }

        foreach (var part in parts[1..])
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (int.TryParse(part, out _) && ElementType(type) is { } element)
            {
                type = element;
                continue;
            }

            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                return $"{variable}: {type.Name} has no settable property '{part}'";
            }

            type = property.PropertyType;
        }

        return null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}
