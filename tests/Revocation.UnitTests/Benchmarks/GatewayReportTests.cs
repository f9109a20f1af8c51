using Revocation.BenchReport;

namespace Revocation.UnitTests.Benchmarks;

/// <summary>The gateway report (scripts/bench-gateway.sh → benchmarks/BenchReport gateway).</summary>
public sealed class GatewayReportTests
{
    // levels.tsv: row, connections, requests/s, p50, p99, unexpected, then CPU µs per request: nginx, API node, silo,
    // PostgreSQL, provider, rest; then 401s and revoked tokens sent.
    private static readonly TsvRow[] Levels =
    [
        new(["floor", "64", "30000", "1.00", "5.00", "0", "10", "0", "0", "0", "0", "20", "0", "0"]),
        new(["registry", "64", "15000", "3.00", "9.00", "0", "20", "40", "2", "0", "0", "30", "100", "100"]),
        new(["introspection", "64", "8000", "5.00", "12.00", "0", "25", "70", "3", "0", "0", "40", "100", "100"]),
        new(["provider-introspection", "64", "5000", "8.00", "20.00", "0", "22", "0", "0", "0", "150", "40", "100", "100"]),
    ];

    private static GatewayReport.Run Run(bool provider) =>
        new("x.md", Smoke: false, Custom: false, provider, Levels: [64], SecondsPerLevel: 15, Warmup: 5, Tokens: 10_000, RevokeEvery: 100,
            NginxVersion: "1.22.1", ProviderVersion: "8.8.1", NodeVersion: "v20.19.2", MintSeconds: "12.3");

    [Fact]
    public void TheTarget_IsThreeTimesTheProvidersIntrospection_AndTheRegistrysCostIsStatedOverTheFloor()
    {
        var report = GatewayReport.Write(Run(provider: true), Levels, "abc1234");

        Assert.Contains(
            "- At 64 connections: the registry (15000 requests/s) 3.00× per-request introspection at the identity provider (5000 requests/s; target ≥ 3×: met), 1.88× introspection at the registry's own API node (8000 requests/s, the same near cache: not what the target is about), 0.50× the floor's (30000 requests/s). The registry costs 62 µs of CPU per request over the floor, the provider row 182 µs (both with the rest of the machine's); the authorizer alone: API node, silo and PostgreSQL 42 µs against the provider's 150 µs.",
            report,
            StringComparison.Ordinal);
        Assert.Contains("`scripts/bench-gateway.sh` on ", report, StringComparison.Ordinal);
        Assert.Contains(", commit abc1234, ", report, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAProviderRow_TheTargetIsNotJudged()
    {
        var report = GatewayReport.Write(Run(provider: false), Levels[..3], "abc1234");

        Assert.Contains("- At 64 connections: the registry 1.88× introspection's requests/s at its own API node (no provider row: BENCH_PROVIDER=no; the ≥ 3× target is about introspection at an identity provider and is not judged here), 0.50× the floor's; it costs 62 µs of CPU per request over the floor.", report, StringComparison.Ordinal);
        Assert.DoesNotContain("met", report, StringComparison.Ordinal);
    }

    [Fact]
    public void ALevelListThatIsNotConnectionCounts_IsRefusedNamingIt()
    {
        var refused = Assert.Throws<ArgumentException>(() => GatewayReport.Run.From(CommandLine.Parse(["--out", "x.md", "--levels", "64 lots"])));

        Assert.Equal("--levels takes connection counts above 0, got 'lots'", refused.Message);
    }
}
