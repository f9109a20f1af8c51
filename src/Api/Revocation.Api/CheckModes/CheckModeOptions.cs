namespace Revocation.Api.CheckModes;

/// <summary>
/// The API node's check mode and what the two comparison modes need, read from the
/// <c>RevocationCheck</c> section beside the package's own settings. Read at start only: a reload
/// that changes them is logged as needing a restart (<see cref="CheckModeReloadWatch"/>).
/// </summary>
public sealed class CheckModeOptions
{
    public const string SectionName = Revocation.AspNetCore.RevocationCheckOptions.SectionName;

    /// <summary>Where a token is looked up. The default is <see cref="CheckMode.Grain"/>, the registry.</summary>
    public CheckMode Mode { get; set; } = CheckMode.Grain;

    /// <summary>The database the <see cref="CheckMode.Database"/> and <see cref="CheckMode.LocalCache"/> modes query.</summary>
    public DatabaseCheckOptions Database { get; set; } = new();

    /// <summary>The per-process cache of the <see cref="CheckMode.LocalCache"/> mode.</summary>
    public LocalCacheCheckOptions LocalCache { get; set; } = new();
}

/// <summary>The comparison modes' own connection pool on the registry database (<c>RevocationCheck:Database</c>).</summary>
public sealed class DatabaseCheckOptions
{
    /// <summary>
    /// Npgsql connection string of the registry database (never logged). The default is
    /// <c>ConnectionStrings:Registry</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Size of the check's connection pool (Npgsql <c>Maximum Pool Size</c>). When set it replaces
    /// the connection string's value; unset keeps the connection string's (Npgsql: 100).
    /// </summary>
    public int? MaxPoolSize { get; set; }
}

/// <summary>The <see cref="CheckMode.LocalCache"/> mode's cache (<c>RevocationCheck:LocalCache</c>).</summary>
public sealed class LocalCacheCheckOptions
{
    /// <summary>
    /// How long an answer is reused; a revocation made through another node is accepted here for
    /// up to this long. The default is 60 seconds.
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most answers held at once; new answers are not cached while it is full. The default is 10 000.</summary>
    public int SizeLimit { get; set; } = 10_000;
}
