using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Revocation.Abstractions;
using Revocation.Grains.Received;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Received;

/// <summary>The database's answers as the replay grains see them, each of which a test can make fail.</summary>
public sealed class FailingReceivedTokenStore(IReceivedTokenStore inner) : IReceivedTokenStore
{
    public bool FailReads { get; set; }

    public bool FailWrites { get; set; }

    public Task<DateTimeOffset?> FindSeenUntilAsync(IssuerKey token, DateTimeOffset now, CancellationToken cancellationToken) =>
        FailReads ? Task.FromException<DateTimeOffset?>(new TimeoutException("test: the read timed out")) : inner.FindSeenUntilAsync(token, now, cancellationToken);

    public Task RecordAsync(IssuerKey token, DateTimeOffset seenUntil, CancellationToken cancellationToken) =>
        FailWrites ? Task.FromException(new TimeoutException("test: the write timed out")) : inner.RecordAsync(token, seenUntil, cancellationToken);
}

/// <summary>One silo whose replay grains use <see cref="FailingReceivedTokenStore"/> over the real table.</summary>
public sealed class ReceivedTokenCluster() : RegistryCluster(1, new Dictionary<string, string?>())
{
    /// <summary>The silo's store (resolved here, so that a test may set it to fail before any grain used it).</summary>
    public FailingReceivedTokenStore Store =>
        (FailingReceivedTokenStore)Cluster.Silos[0].ServiceProvider.GetRequiredService<IReceivedTokenStore>();

    protected override void ConfigureSiloServices(IServiceCollection services) =>
        services.AddSingleton<IReceivedTokenStore>(sp => new FailingReceivedTokenStore(ActivatorUtilities.CreateInstance<PostgresReceivedTokenStore>(sp)));
}

/// <summary>
/// A delivered token's replay grain: its record is a <c>received_tokens</c> row, written before
/// <see cref="IReceivedTokenGrain.RecordAsync"/> answers and read by every new activation; a grain
/// that cannot read its record does not activate (it cannot tell a replay), and a record that
/// failed is not remembered in memory either.
/// </summary>
public sealed class ReceivedTokenGrainTests(ReceivedTokenCluster registry) : IClassFixture<ReceivedTokenCluster>
{
    private const string Issuer = "https://idp.test";

    private IReceivedTokenGrain Grain(string jti) => registry.Client.GetReceivedTokenGrain(Issuer, jti);

    private Task<long> RowsAsync(string jti) =>
        TestPostgres.ScalarAsync<long>(registry.ConnectionString, "SELECT count(*) FROM received_tokens WHERE iss = $1 AND jti = $2", Issuer, jti);

    private Task CollectEveryIdleActivationAsync() =>
        registry.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    [Fact]
    public async Task Recorded_IsSeenByTheNextDelivery_AlsoByANewActivation_UntilItsEnd()
    {
        var jti = RegistryCluster.NewJti();
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(3);
        var first = Guid.NewGuid();

        Assert.Equal(ReceivedTokenClaim.Claimed, await Grain(jti).ClaimAsync(first, keepUntil));
        Assert.Equal(ReceivedTokenClaim.InProgress, await Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
        Assert.Equal(0L, await RowsAsync(jti));
        await Grain(jti).RecordAsync(first);

        Assert.Equal(1L, await RowsAsync(jti));
        Assert.Equal(ReceivedTokenClaim.Seen, await Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
        await CollectEveryIdleActivationAsync();
        Assert.Equal(ReceivedTokenClaim.Seen, await Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
    }

    [Fact]
    public async Task ARecordPastItsEnd_IsNoRecord_ForANewActivation()
    {
        var jti = RegistryCluster.NewJti();
        await TestPostgres.ExecuteAsync(registry.ConnectionString,
            $"INSERT INTO received_tokens (iss, jti, seen_until) VALUES ('{Issuer}', '{jti}', now() - interval '1 second')");

        Assert.Equal(ReceivedTokenClaim.Claimed, await Grain(jti).ClaimAsync(Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(3)));
    }

    [Fact]
    public async Task RecordUnreadable_TheGrainDoesNotActivate_AndClaimsOnceTheDatabaseAnswers()
    {
        var jti = RegistryCluster.NewJti();
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(3);
        registry.Store.FailReads = true;
        try
        {
            var failed = await Assert.ThrowsAsync<RegistryStorageException>(() => Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
            Assert.Contains("seen before could not be read", failed.Message);
        }
        finally
        {
            registry.Store.FailReads = false;
        }

        Assert.Equal(ReceivedTokenClaim.Claimed, await Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
    }

    [Fact]
    public async Task RecordFailed_NothingIsRemembered_TheNextDeliveryIsClaimed()
    {
        var jti = RegistryCluster.NewJti();
        var keepUntil = DateTimeOffset.UtcNow.AddMinutes(3);
        var first = Guid.NewGuid();
        Assert.Equal(ReceivedTokenClaim.Claimed, await Grain(jti).ClaimAsync(first, keepUntil));
        registry.Store.FailWrites = true;
        try
        {
            var failed = await Assert.ThrowsAsync<RegistryStorageException>(() => Grain(jti).RecordAsync(first));
            Assert.Contains("could not be recorded", failed.Message);
        }
        finally
        {
            registry.Store.FailWrites = false;
        }

        Assert.Equal(0L, await RowsAsync(jti));
        Assert.Equal(ReceivedTokenClaim.Claimed, await Grain(jti).ClaimAsync(Guid.NewGuid(), keepUntil));
    }
}
