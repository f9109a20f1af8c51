using System.Globalization;

namespace Revocation.BenchReport;

/// <summary>
/// The registry at the gateway (benchmarks/results-gateway.md, <c>scripts/bench-gateway.sh</c>):
/// nginx in front of a backend with no authorization (the floor), auth_request to the registry, and
/// per-request introspection (at the registry's API node and at an OpenID Provider), each level's
/// requests/s and CPU per request by process, and the ≥ 3× target against the provider.
/// </summary>
internal static class GatewayReport
{
    /// <summary>levels.tsv of bench-gateway.sh's <c>measure</c>: CPU in µs per request by process.</summary>
    public static class GatewayColumns
    {
        public const int Row = 1, Connections = 2, RequestsPerSecond = 3, P50Ms = 4, P99Ms = 5, Unexpected = 6,
            Nginx = 7, ApiNode = 8, Silo = 9, Postgres = 10, Provider = 11, Rest = 12;
    }

    public sealed record Run(
        string Out, bool Smoke, bool Custom, bool Provider, IReadOnlyList<int> Levels, int SecondsPerLevel, int Warmup, int Tokens, int RevokeEvery,
        string NginxVersion, string ProviderVersion, string NodeVersion, string MintSeconds)
    {
        /// <exception cref="ArgumentException">An option is unknown, missing or out of range.</exception>
        public static Run From(CommandLine line)
        {
            line.RefuseOthers(["out", "smoke", "custom", "provider", "levels", "seconds", "warmup", "tokens", "revoke-every",
                "nginx-version", "provider-version", "node-version", "mint-seconds"]);
            var levels = line.Text("levels", "64 256").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(level => int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0
                    ? c
                    : throw new ArgumentException($"--levels takes connection counts above 0, got '{level}'"))
                .ToList();
            return new(line.Text("out"), line.Flag("smoke"), line.Flag("custom"), line.Flag("provider"), levels,
                line.AtLeast("seconds", 15, 1), line.AtLeast("warmup", 5, 0), line.AtLeast("tokens", 10_000, 1), line.AtLeast("revoke-every", 100, 1),
                line.Text("nginx-version", ""), line.Text("provider-version", ""), line.Text("node-version", ""), line.Text("mint-seconds", ""));
        }
    }

    /// <exception cref="InvalidDataException">A figure is not a number.</exception>
    public static string Write(Run run, IReadOnlyList<TsvRow> levels, string commit)
    {
        foreach (var row in levels)
        {
            for (var column = GatewayColumns.Connections; column <= GatewayColumns.Rest; column++)
            {
                row.Number(column);
            }
        }

        var text = new Markdown(
            "The registry at the gateway: nginx auth_request, side by side with the floor and with introspection",
            run.Smoke ? "Smoke run (`scripts/bench-gateway.sh --smoke`): durations of seconds, numbers are not meaningful." : null);
        if (!run.Smoke && run.Custom)
        {
            text.Line("**Run with other settings than the defaults (BENCH_SECONDS, BENCH_WARMUP, BENCH_STACK_WARMUP, BENCH_LEVELS, BENCH_TOKENS, BENCH_PROVIDER).**");
            text.Line();
        }

        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        text.Line($"`scripts/bench-gateway.sh` on {Environment.ProcessorCount} cores, commit {commit}, {now};");
        text.Line($"nginx {run.NginxVersion}, one worker; the registry: 1 silo, 1 API node (Release, Development settings).");
        if (run.Provider)
        {
            text.Line($"The OpenID Provider: panva's oidc-provider {run.ProviderVersion}, one Node {run.NodeVersion} process, tokens in a Map (scripts/oidc-provider/provider.mjs, OIDC_STORE=map).");
            text.Line("Tokens from the provider (client_credentials): RS256 `at+jwt` for the floor, registry and introspection rows (the API node trusts the provider through its discovery and JWKS);");
            text.Line("opaque access tokens for the provider-introspection row (oidc-provider introspects only tokens it stores, never its JWT access tokens).");
            text.Line($"Minting {run.Tokens} of each at the provider took {run.MintSeconds} s (32 requests in flight).");
        }
        else
        {
            text.Line("Tokens: HS256, the registry's development issuer (BENCH_PROVIDER=no: no provider row).");
        }

        text.Line($"wrk, {run.SecondsPerLevel} s per level after {run.Warmup} s of warm-up, {run.Tokens} distinct tokens (every {run.RevokeEvery}th revoked in both the registry and the provider: its 401 is expected).");
        text.Line("CPU in µs per request, from /proc (nginx: master and worker; PostgreSQL: postmaster and backends; provider: the Node process; rest: the machine's other busy time, wrk included).");
        text.Line();
        text.Line("| row | connections | requests/s | p50 ms | p99 ms | unexpected | nginx µs | API node µs | silo µs | PostgreSQL µs | provider µs | rest µs |");
        text.Line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in levels)
        {
            text.Line($"| {string.Join(" | ", Enumerable.Range(GatewayColumns.Row, GatewayColumns.Rest).Select(column => r[column]))} |");
        }

        text.Line();
        text.Line("## Targets");
        text.Line();
        foreach (var level in run.Levels)
        {
            text.Line(TargetLine(run, levels, level));
        }

        return text.ToString();
    }

    private static string TargetLine(Run run, IReadOnlyList<TsvRow> levels, int level)
    {
        TsvRow? RowOf(string name) => levels.FirstOrDefault(r => r[GatewayColumns.Row] == name && r.Number(GatewayColumns.Connections) == level);
        string Rps(TsvRow? row) => row?[GatewayColumns.RequestsPerSecond] ?? "";
        double RpsNumber(TsvRow? row) => row?.Number(GatewayColumns.RequestsPerSecond) ?? 0;
        double Cpu(TsvRow? row) => row is null ? 0 : Enumerable.Range(GatewayColumns.Nginx, GatewayColumns.Rest - GatewayColumns.Nginx + 1).Sum(row.Number);
        var registry = RowOf("registry");
        var introspection = RowOf("introspection");
        var floor = RowOf("floor");
        var over = Numbers.Fixed(Cpu(registry) - Cpu(floor), 0);
        if (!run.Provider)
        {
            return $"- At {level} connections: the registry {Numbers.Ratio(RpsNumber(registry), RpsNumber(introspection))}× introspection's requests/s at its own API node (no provider row: BENCH_PROVIDER=no; the ≥ 3× target is about introspection at an identity provider and is not judged here), {Numbers.Ratio(RpsNumber(registry), RpsNumber(floor))}× the floor's; it costs {over} µs of CPU per request over the floor.";
        }

        var provider = RowOf("provider-introspection");
        var toProvider = Numbers.Ratio(RpsNumber(registry), RpsNumber(provider));
        var met = Numbers.Met(toProvider, Target.AtLeast, 3) == "yes" ? "met" : "**not met**";
        var authorizer = registry is null ? "" : (registry.Number(GatewayColumns.ApiNode) + registry.Number(GatewayColumns.Silo) + registry.Number(GatewayColumns.Postgres)).ToString(CultureInfo.InvariantCulture);
        return $"- At {level} connections: the registry ({Rps(registry)} requests/s) {toProvider}× per-request introspection at the identity provider ({Rps(provider)} requests/s; target ≥ 3×: {met}), {Numbers.Ratio(RpsNumber(registry), RpsNumber(introspection))}× introspection at the registry's own API node ({Rps(introspection)} requests/s, the same near cache: not what the target is about), {Numbers.Ratio(RpsNumber(registry), RpsNumber(floor))}× the floor's ({Rps(floor)} requests/s). The registry costs {over} µs of CPU per request over the floor, the provider row {Numbers.Fixed(Cpu(provider) - Cpu(floor), 0)} µs (both with the rest of the machine's); the authorizer alone: API node, silo and PostgreSQL {authorizer} µs against the provider's {provider?[GatewayColumns.Provider] ?? ""} µs.";
    }
}
