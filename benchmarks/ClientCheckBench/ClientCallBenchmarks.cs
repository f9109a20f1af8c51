using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;

namespace Revocation.Benchmarks.ClientCheck;

/// <summary>
/// One warm check's grain calls through the Orleans client, one at a time, against a real silo
/// process (scripts/bench-client.sh starts it): what an API node pays on a near-cache miss — the
/// client's CPU and allocations per call and the round trip over the cluster's TLS connection. The
/// closed-loop levels (throughput and p99 at concurrency 64) are ClientCheckBench's <c>check</c>:
/// BenchmarkDotNet times one call after another, not a latency distribution under load.
/// </summary>
[MemoryDiagnoser]
public class ClientCallBenchmarks
{
    private const string Issuer = "https://bench.example";

    /// <summary>Distinct token grains (and subject grains) the calls cycle through, all activated and cached in the silo.</summary>
    private const int Tokens = 1024;

    private IHost _client = null!;
    private ITokenGrain[] _tokens = null!;
    private ISubjectGrain[] _subjects = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _client = RegistryClient.Build();
        await _client.StartAsync();
        var grains = _client.Services.GetRequiredService<IClusterClient>();
        var run = Guid.NewGuid().ToString("N")[..8];
        _tokens = [.. Enumerable.Range(0, Tokens).Select(i => grains.GetTokenGrain(Issuer, $"bdn-{run}-{i}"))];
        _subjects = [.. Enumerable.Range(0, Tokens).Select(i => grains.GetSubjectGrain(Issuer, $"bdn-{run}-user-{i}"))];
        for (var i = 0; i < Tokens; i++)
        {
            // Activated and their answers cached before measuring; every one must say "not revoked".
            if (await _tokens[i].IsRevokedAsync() || (await _subjects[i].GetStatusAsync()).NotBefore is not null)
            {
                throw new InvalidOperationException("a fresh token or subject came out revoked: the benchmark measures the warm 'not revoked' answer");
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
    }

    /// <summary>The token grain's answer alone (a check of a token without a subject rule).</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> TokenGrainCall() => await _tokens[Next()].IsRevokedAsync();

    /// <summary>The token and the subject grain asked concurrently, as the API's check does on a miss.</summary>
    [Benchmark]
    public async Task<bool> TokenAndSubjectGrainCalls()
    {
        var i = Next();
        var byToken = _tokens[i].IsRevokedAsync().AsTask();
        var bySubject = _subjects[i].GetStatusAsync().AsTask();
        await Task.WhenAll(byToken, bySubject);
        return byToken.Result || bySubject.Result.Revokes(DateTimeOffset.UtcNow);
    }

    private int Next() => _next = (_next + 1) % Tokens;
}
