using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;
using Revocation.AspNetCore.NearCache;

namespace Revocation.Benchmarks.CheckPath;

/// <summary>
/// One request's check in the API node's process, with every answer in the near cache under a held
/// lease (a warm node at steady state: no network, no grain call), against its floor — validating
/// the bearer token's signature and claims, which every request pays with or without the registry.
/// The services are the library's own (<c>AddRevocationCheck()</c> in Grain mode); only the lease
/// and the cached answers are put in place directly, as the registry would have granted and filled them.
/// </summary>
[MemoryDiagnoser]
public class CheckPathBenchmarks
{
    private const string Issuer = "https://bench.example";
    private const string Audience = "revocation-bench";

    /// <summary>Distinct tokens (and subjects) the requests cycle through, all in the cache.</summary>
    private const int Tokens = 1024;

    private readonly JsonWebTokenHandler _handler = new();
    private ServiceProvider _services = null!;
    private RevocationChecker _checker = null!;
    private IRevocationLookup _lookup = null!;
    private TokenValidationParameters _parameters = null!;
    private string[] _tokens = null!;
    private TokenIdentity[] _identities = null!;
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var key = new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _parameters = new TokenValidationParameters { ValidIssuer = Issuer, ValidAudience = Audience, IssuerSigningKey = key };

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()); // every setting at its default
        services.AddLogging();
        services.AddMetrics();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => o.TokenValidationParameters = _parameters)
            .AddRevocationCheck();
        _services = services.BuildServiceProvider();
        _checker = _services.GetRequiredService<RevocationChecker>();
        _lookup = _services.GetRequiredService<IRevocationLookup>();
        if (_lookup is not NearCacheLookup)
        {
            throw new InvalidOperationException($"Expected the near cache in Grain mode, got {_lookup.GetType().Name}.");
        }

        var time = _services.GetRequiredService<TimeProvider>();
        var cache = _services.GetRequiredService<NearCacheState>();
        cache.LeaseGranted(Guid.NewGuid(), LeaseTerm.From(time, time.GetTimestamp(), time.GetUtcNow(), TimeSpan.FromDays(1)));

        var signing = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        var now = DateTime.UtcNow;
        _tokens = new string[Tokens];
        _identities = new TokenIdentity[Tokens];
        for (var i = 0; i < Tokens; i++)
        {
            _tokens[i] = _handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = Audience,
                IssuedAt = now.AddMinutes(-1),
                NotBefore = now.AddMinutes(-1),
                Expires = now.AddHours(2),
                SigningCredentials = signing,
                Claims = new Dictionary<string, object> { ["jti"] = $"bench-{i}", ["sub"] = $"user-{i}" },
            });
            var validated = await _handler.ValidateTokenAsync(_tokens[i], _parameters);
            _identities[i] = TokenIdentity.From(validated.SecurityToken) ?? throw new InvalidOperationException("No identity in the benchmark's token.");

            // What the registry answered when this node first asked: not revoked, no subject-wide not-before.
            var identity = _identities[i];
            var ticket = cache.BeginFill(identity.TokenKey, identity.SubjectKey);
            var keepUntil = time.After(time.GetTimestamp(), TimeSpan.FromDays(1));
            cache.FillToken(ticket, identity.TokenKey, revoked: false, keepUntil);
            cache.FillSubject(ticket, identity.SubjectKey, notBefore: null, keepUntil);
        }

        // Every answer must come from the cache: a miss would call a grain, and there is no cluster here.
        foreach (var identity in _identities)
        {
            var verdict = await _checker.CheckAsync(identity, TimeSpan.FromMinutes(5), CancellationToken.None);
            if (verdict != RevocationVerdict.NotRevoked)
            {
                throw new InvalidOperationException($"A cached token was answered {verdict}.");
            }
        }
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _services.DisposeAsync().AsTask();

    /// <summary>The floor: the bearer token's signature (HS256) and claims validated, as JwtBearer does.</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> JwtValidationAlone()
    {
        var result = await _handler.ValidateTokenAsync(_tokens[Next()], _parameters);
        return result.IsValid;
    }

    /// <summary>The same validation, then the revocation check (jti and subject), answered from the near cache.</summary>
    [Benchmark]
    public async Task<RevocationVerdict> JwtValidationAndCheck()
    {
        var result = await _handler.ValidateTokenAsync(_tokens[Next()], _parameters);
        return await _checker.CheckAsync(TokenIdentity.From(result.SecurityToken)!, TimeSpan.FromMinutes(5), CancellationToken.None);
    }

    /// <summary>The check alone: input rules, the near cache's answer, the metrics it counts.</summary>
    [Benchmark]
    public Task<RevocationVerdict> CheckAlone() =>
        _checker.CheckAsync(_identities[Next()], TimeSpan.FromMinutes(5), CancellationToken.None);

    /// <summary>The near cache's lookup alone (the jti's and the subject's answers).</summary>
    [Benchmark]
    public Task NearCacheLookupAlone() =>
        _lookup.LookupAsync(_identities[Next()], checkSubject: true, CancellationToken.None);

    private int Next() => _next = (_next + 1) & (Tokens - 1);
}
