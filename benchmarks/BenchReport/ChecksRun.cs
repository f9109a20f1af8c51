namespace Revocation.BenchReport;

/// <summary>
/// How scripts/bench.sh ran the check modes: where its measurements are, where the report goes, and
/// the settings the report's text states (each option named as the script's variable it comes from).
/// </summary>
internal sealed record ChecksRun
{
    /// <summary>The folder whose <c>out/</c> holds the measurement files (BENCH_DIR).</summary>
    public required string Work { get; init; }

    /// <summary>The Markdown file to write.</summary>
    public required string Out { get; init; }

    /// <summary>The plots' path without <c>-rps.svg</c>/<c>-p99.svg</c>; the report links their file names.</summary>
    public required string Plots { get; init; }

    public bool Smoke { get; init; }

    public int SecondsPerLevel { get; init; } = 15;

    public int Warmup { get; init; } = 5;

    public int Tokens { get; init; } = 10_000;

    public int RevokeEvery { get; init; } = 100;

    public int CacheTtl { get; init; } = 60;

    public int CacheSize { get; init; } = 10_000;

    public int Walk { get; init; } = 100_000;

    public int BurstRequests { get; init; } = 60;

    public int BurstConcurrency { get; init; } = 30;

    public int BurstPool { get; init; } = 5;

    public int DbDelayMs { get; init; } = 1;

    public int PostgresPort { get; init; } = 26432;

    /// <summary>What the registry's PostgreSQL answers to <c>SHOW server_version</c> (its first word).</summary>
    public string PostgresVersion { get; init; } = "";

    private static readonly string[] Options =
    [
        "work", "out", "plots", "smoke", "seconds", "warmup", "tokens", "revoke-every", "cache-ttl", "cache-size",
        "walk", "burst-requests", "burst-concurrency", "burst-pool", "db-delay-ms", "pg-port", "pg-version",
    ];

    /// <exception cref="ArgumentException">An option is unknown, missing or not a number where one is needed.</exception>
    public static ChecksRun From(CommandLine line)
    {
        line.RefuseOthers(Options);
        var run = new ChecksRun
        {
            Work = line.Text("work"),
            Out = line.Text("out"),
            Plots = line.Text("plots", "results"),
            Smoke = line.Flag("smoke"),
            SecondsPerLevel = line.AtLeast("seconds", 15, 1),
            Warmup = line.AtLeast("warmup", 5, 1),
            Tokens = line.AtLeast("tokens", 10_000, 1),
            RevokeEvery = line.AtLeast("revoke-every", 100, 1),
            CacheTtl = line.AtLeast("cache-ttl", 60, 1),
            CacheSize = line.AtLeast("cache-size", 10_000, 1),
            Walk = line.AtLeast("walk", 100_000, 1),
            BurstRequests = line.AtLeast("burst-requests", 60, 1),
            BurstConcurrency = line.AtLeast("burst-concurrency", 30, 1),
            BurstPool = line.AtLeast("burst-pool", 5, 1),
            DbDelayMs = line.AtLeast("db-delay-ms", 1, 0),
            PostgresPort = line.AtLeast("pg-port", 26432, 1),
            PostgresVersion = line.Text("pg-version", ""),
        };
        MeasurementFolder.Of(run.Work);
        return run;
    }
}
