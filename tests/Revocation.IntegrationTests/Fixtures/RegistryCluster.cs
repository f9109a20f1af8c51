using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.Silo.Hosting;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// An in-process Orleans cluster wired exactly as the silo host wires it (<see cref="RegistrySiloBuilderExtensions.AddRevocationRegistry"/>)
/// against a fresh PostgreSQL database, with every store call counted per jti.
/// </summary>
public abstract class RegistryCluster(short silos, IReadOnlyDictionary<string, string?> settings) : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public StoreCallCounter Calls { get; } = new();

    public string ConnectionString { get; private set; } = "";

    public IClusterClient Client => Cluster.Client;

    /// <summary>The grain factory inside silo <paramref name="index"/>: calls made from that silo.</summary>
    public IGrainFactory SiloGrains(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>A jti no other test uses.</summary>
    public static string NewJti(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync(GetType().Name.ToLowerInvariant()[..Math.Min(12, GetType().Name.Length)]);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings)
            {
                ["ConnectionStrings:Registry"] = ConnectionString,
                ["Database:StartupTimeout"] = "00:00:30",
            })
            .Build();

        await BeforeStartAsync();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRevocationRegistry(configuration);
            silo.Services.AddSingleton<IRevocationStore>(
                sp => Calls.Wrap(ActivatorUtilities.CreateInstance<PostgresRevocationStore>(sp)));
            silo.Services.UseTestClock(SiloClock);
            ConfigureSiloServices(silo.Services);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await AfterStartAsync();
    }

    /// <summary>Replaces silo services after the registry's own (e.g. a store decorated by a test).</summary>
    protected virtual void ConfigureSiloServices(IServiceCollection services)
    {
    }

    /// <summary>Runs after the database exists and before any silo starts.</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Runs once every silo has started.</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    /// <summary>The clock the silos' registry code reads (<see cref="TestClock"/>); <c>null</c>: real time on a just-booted host's monotonic clock (<see cref="JustBootedClock"/>).</summary>
    protected virtual TimeProvider? SiloClock => null;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Rows stored for <paramref name="jti"/>; compared as UTF-8 hex so that even a NUL can be asked about.</summary>
    public Task<long> RowCountAsync(string jti) => TestPostgres.ScalarAsync<long>(
        ConnectionString,
        "SELECT count(*) FROM revoked_tokens WHERE encode(convert_to(jti, 'UTF8'), 'hex') = $1",
        Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(jti)));

    /// <summary>Token grain activations in the whole cluster, as Orleans' catalog counts them.</summary>
    public async Task<int> ActiveTokenGrainsAsync()
    {
        var tokenGrainType = Client.GetTokenGrain(TestTokens.Issuer, "type-probe").GetGrainId().Type;
        return (await Client.GetGrain<IManagementGrain>(0).GetActiveGrains(tokenGrainType)).Count;
    }

    public async Task<bool> IsActiveAsync(IGrain grain) =>
        await Client.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)grain) > 0;

    public Task DeactivateAsync(ITokenGrain grain) => Cluster.DeactivateAsync(grain.GetGrainId());

    /// <summary>jtis starting with this make the database itself refuse the write (see <see cref="InstallFailingWriteTriggerAsync"/>).</summary>
    public const string FailingWritePrefix = "fail-write";

    /// <summary>
    /// A trigger that makes PostgreSQL raise an error for rows whose jti starts with
    /// <see cref="FailingWritePrefix"/>: a real failed write, through the real store and driver.
    /// </summary>
    public Task InstallFailingWriteTriggerAsync() => TestPostgres.ExecuteAsync(ConnectionString, $$"""
        CREATE OR REPLACE FUNCTION test_fail_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF NEW.jti LIKE '{{FailingWritePrefix}}%' THEN
                RAISE EXCEPTION 'injected write failure';
            END IF;
            RETURN NEW;
        END
        $fn$;
        CREATE OR REPLACE TRIGGER test_fail_write BEFORE INSERT OR UPDATE ON revoked_tokens
            FOR EACH ROW EXECUTE FUNCTION test_fail_write();
        """);
}

/// <summary>
/// Two silos, default caching: the shape of a real deployment. The sweep reminder is pushed out
/// of the test run so that only tests decide when this database is swept.
/// </summary>
public sealed class TwoSiloCluster() : RegistryCluster(2, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" });

[CollectionDefinition(Name)]
public sealed class TwoSiloCollection : ICollectionFixture<TwoSiloCluster>
{
    public const string Name = "two-silo registry cluster";
}

/// <summary>One silo with caching switched off: every check reads the database.</summary>
public sealed class UncachedCluster() : RegistryCluster(1, new Dictionary<string, string?> { ["TokenGrain:NotRevokedMaxAge"] = "00:00:00" });

[CollectionDefinition(Name)]
public sealed class UncachedCollection : ICollectionFixture<UncachedCluster>
{
    public const string Name = "uncached registry cluster";
}

/// <summary>One silo that holds at most <see cref="Limit"/> token grains.</summary>
public sealed class CappedCluster() : RegistryCluster(1, new Dictionary<string, string?>
{
    ["TokenGrain:MaxActivationsPerSilo"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Sweeper:DueTime"] = "01:00:00",
})
{
    public const int Limit = 20;
}

[CollectionDefinition(Name)]
public sealed class CappedCollection : ICollectionFixture<CappedCluster>
{
    public const string Name = "capped registry cluster";
}
