using Revocation.Silo.Dashboard;
using Revocation.Silo.Clustering;
using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using Revocation.Api.Authentication;
using Revocation.Api.CheckModes;
using Revocation.Api.Gateway;
using Revocation.Api.Hosting;
using Revocation.Api.Issuing;
using Revocation.Api.OAuth;
using Revocation.Api.Oidc;
using Revocation.Api.Registry;
using Revocation.Api.SharedSignals;
using Revocation.AspNetCore;
using Revocation.Grains;
using Revocation.Grains.Leases;
using Revocation.Silo.Hosting;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;

namespace Revocation.Testing;

/// <summary>
/// The settings each program reads, taken from its own options classes and constants: a key
/// (<c>Section:Key</c>, <c>Section:List:0:Key</c>) or an environment variable (<c>Section__Key</c>)
/// names a setting only when the class bound from that section has that property, so renaming a
/// setting in the code makes a manifest or a document that still names the old one fail its test.
/// The registry's own options classes are listed in full (<see cref="OwnedKeys"/>: every setting
/// they offer); Orleans' options bound from a section of ours are listed to resolve keys only.
/// </summary>
public sealed class ProgramSettings
{
    // Orleans' own keys of the cluster identity, read by both programs (the options' ClusterId and
    // ServiceId are filled from them; Cluster:* and Registry:* are their earlier names).
    private const string OrleansClusterId = "Orleans:ClusterId";
    private const string OrleansServiceId = "Orleans:ServiceId";

    private static readonly string[] HostSettings =
    [
        WebHostDefaults.ServerUrlsKey, // "urls": the program's HTTP endpoints
        "ASPNETCORE_" + WebHostDefaults.EnvironmentKey.ToUpperInvariant(),
        $"ConnectionStrings__{RegistryDatabaseOptions.ConnectionStringName}",
        EnvName(OrleansClusterId),
        EnvName(OrleansServiceId),
    ];

    private const string ClusterTlsSection = "ClusterTls";

    public static ProgramSettings Silo { get; } = new(
        Owned(
            (RegistryClusterOptions.SectionName, typeof(RegistryClusterOptions)),
            (RegistryDatabaseOptions.SectionName, typeof(RegistryDatabaseOptions)),
            (RejuvenationOptions.SectionName, typeof(RejuvenationOptions)),
            (TokenGrainOptions.SectionName, typeof(TokenGrainOptions)),
            (SubjectRevocationOptions.SectionName, typeof(SubjectRevocationOptions)),
            (SessionRevocationOptions.SectionName, typeof(SessionRevocationOptions)),
            (SweeperOptions.SectionName, typeof(SweeperOptions)),
            (NodeLeaseOptions.SectionName, typeof(NodeLeaseOptions)),
            (DashboardHostingOptions.SectionName, typeof(DashboardHostingOptions)),
            (ClusterTlsSection, ClusterTlsOptionsOf(typeof(RegistryClusterOptions).Assembly))),
        Sections(
            ("GrainCollection", typeof(GrainCollectionOptions)),
            (GrainDirectoryOptionsValidator.SectionName, typeof(GrainDirectoryOptions)),
            ("Reminders", typeof(ReminderOptions)),
            ($"{RegistryClusterOptions.SectionName}:Membership", typeof(ClusterMembershipOptions))),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.ConnectionString)}"] = $"ConnectionStrings:{RegistryDatabaseOptions.ConnectionStringName}",
            [$"{RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.MigrationsConnectionString)}"] = $"ConnectionStrings:{RegistryDatabaseOptions.MigrationsConnectionStringName}",
            [$"{RegistryClusterOptions.SectionName}:{nameof(RegistryClusterOptions.ClusterId)}"] = OrleansClusterId,
            [$"{RegistryClusterOptions.SectionName}:{nameof(RegistryClusterOptions.ServiceId)}"] = OrleansServiceId,
        },
        [
            .. HostSettings,
            $"ConnectionStrings__{RegistryDatabaseOptions.MigrationsConnectionStringName}",
            EnvName(KubernetesHosting.EnabledSetting),
            KubernetesHostingOptions.PodNameEnvironmentVariable,
            KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
            KubernetesHostingOptions.PodIPEnvironmentVariable,
        ]);

    public static ProgramSettings Api { get; } = new(
        Owned(
            (RegistryClientOptions.SectionName, typeof(RegistryClientOptions)),
            (JwtOptions.SectionName, typeof(JwtOptions)),
            (ManagementOptions.SectionName, typeof(ManagementOptions)),
            (OAuthClientOptions.SectionName, typeof(OAuthClientOptions)),
            (IssuerOptions.SectionName, typeof(IssuerOptions)),
            (RevocationCheckOptions.SectionName, typeof(RevocationCheckOptions)),
            (CheckModeOptions.SectionName, typeof(CheckModeOptions)), // the host's check modes, in the same section
            (LogoutEverywhereOptions.SectionName, typeof(LogoutEverywhereOptions)),
            (ForwardAuthOptions.SectionName, typeof(ForwardAuthOptions)),
            (BackchannelLogoutOptions.SectionName, typeof(BackchannelLogoutOptions)),
            (SharedSignalsOptions.SectionName, typeof(SharedSignalsOptions)),
            (ClusterTlsSection, ClusterTlsOptionsOf(typeof(RevocationCheckOptions).Assembly))),
        Sections(),
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{RegistryClientOptions.SectionName}:{nameof(RegistryClientOptions.ClusterId)}"] = OrleansClusterId,
            [$"{RegistryClientOptions.SectionName}:{nameof(RegistryClientOptions.ServiceId)}"] = OrleansServiceId,
        },
        HostSettings);

    private readonly IReadOnlyList<(string Section, Type Type)> _owned;
    private readonly IReadOnlyDictionary<string, Type> _orleans;
    private readonly IReadOnlyDictionary<string, string> _filledFrom;
    private readonly HashSet<string> _plain;

    private ProgramSettings(
        IReadOnlyList<(string Section, Type Type)> owned,
        IReadOnlyDictionary<string, Type> orleans,
        IReadOnlyDictionary<string, string> filledFrom,
        IEnumerable<string> plain)
    {
        _owned = owned;
        _orleans = orleans;
        _filledFrom = filledFrom;
        _plain = new HashSet<string>(plain, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The sections the program binds onto an options class of the registry's own.</summary>
    public IEnumerable<string> OwnedSections => _owned.Select(owned => owned.Section).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every setting the registry's own options classes offer, as <c>Section:Key</c>; an element of
    /// a list of objects as <c>Section:List:N:Key</c>. A property the program fills from another
    /// key (a connection string) is listed by that key.
    /// </summary>
    public IEnumerable<string> OwnedKeys() =>
        _owned.SelectMany(owned => LeafKeys(owned.Section, owned.Type))
            .Select(key => _filledFrom.TryGetValue(key, out var other) ? other : key)
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The environment variable name of a configuration key (<c>A:B</c> → <c>A__B</c>).</summary>
    public static string EnvName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Null when the program reads the environment variable <paramref name="variable"/>; otherwise why not.</summary>
    public string? WhyNotRead(string variable) =>
        _plain.Contains(variable) ? null : WhyNotReadKey(variable.Replace("__", ":", StringComparison.Ordinal));

    /// <summary>
    /// Null when the program reads the configuration key <paramref name="key"/> (<c>N</c> stands for
    /// any list index); otherwise why not.
    /// </summary>
    public string? WhyNotReadKey(string key)
    {
        if (_plain.Contains(EnvName(key)))
        {
            return null;
        }

        var parts = key.Split(':');
        var section = Enumerable.Range(1, parts.Length - 1)
            .Select(length => string.Join(':', parts[..length]))
            .LastOrDefault(prefix => OwnedTypes(prefix).Any() || _orleans.ContainsKey(prefix));
        if (section is null)
        {
            return $"{key}: no setting of that name, and no options class for section '{parts[0]}'";
        }

        // A section may be bound onto more than one class (the library's and the host's): read when one has the key.
        Type[] types = _orleans.TryGetValue(section, out var orleans) ? [orleans] : [.. OwnedTypes(section)];
        var reasons = types.Select(type => WhyNotReadFrom(type, key, parts[(section.Count(c => c == ':') + 1)..])).ToList();
        return reasons.Contains(null) ? null : string.Join("; ", reasons);
    }

    private IEnumerable<Type> OwnedTypes(string section) =>
        _owned.Where(owned => string.Equals(owned.Section, section, StringComparison.OrdinalIgnoreCase)).Select(owned => owned.Type);

    private static string? WhyNotReadFrom(Type type, string key, string[] path)
    {
        foreach (var part in path)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if ((part == "N" || int.TryParse(part, out _)) && ElementType(type) is { } element)
            {
                type = element;
                continue;
            }

            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                return $"{key}: {type.Name} has no settable property '{part}'";
            }

            type = property.PropertyType;
        }

        return null;
    }

    private static IEnumerable<string> LeafKeys(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue; // computed from the settings, not one
            }

            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return key;
            }
            else if (ElementType(propertyType) is { } element)
            {
                if (IsScalar(element))
                {
                    yield return key;
                }
                else
                {
                    foreach (var inner in LeafKeys($"{key}:N", element))
                    {
                        yield return inner;
                    }
                }
            }
            else
            {
                foreach (var inner in LeafKeys(key, propertyType))
                {
                    yield return inner;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(Uri);

    private static (string Section, Type Type)[] Owned(params (string Section, Type Type)[] sections) => sections;

    private static Dictionary<string, Type> Sections(params (string Name, Type Type)[] sections) =>
        sections.ToDictionary(s => s.Name, s => s.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The <c>ClusterTls</c> options class compiled into <paramref name="program"/> (the silo and the
    /// client library each hold their own internal copy of the shared source, so it is found by name).
    /// </summary>
    private static Type ClusterTlsOptionsOf(Assembly program) =>
        program.GetType("Revocation.ClusterTls.ClusterTlsOptions", throwOnError: true)!;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;
}
