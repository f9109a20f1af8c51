using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Fabric;

/// <summary>
/// Mutual TLS on the silos' gateway port: a stock Orleans client without a certificate, and one
/// whose certificate the cluster CA did not sign, get no grain call through; a client with a
/// certificate of the cluster CA does (the control).
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime
{
    /// <summary>How long a refused client is given to get a call through (a refused handshake fails at once; the client may keep retrying).</summary>
    private static readonly TimeSpan Refusal = TimeSpan.FromSeconds(8);

    private TestSilos _silos = null!;

    public async Task InitializeAsync() => _silos = await TestSilos.StartAsync(1, "cluster-tls");

    public async Task DisposeAsync() => await _silos.DisposeAsync();

    [Fact]
    public async Task ClientWithTheClustersCertificate_CallsAGrain()
    {
        using var client = BuildClient(TestCertificates.ClientSettings);
        await client.StartAsync();

        var jti = RegistryCluster.NewJti("tls");
        await client.Services.GetRequiredService<IClusterClient>().GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "tls");

        Assert.Equal(1, await _silos.RowCountAsync(jti));
    }

    [Fact]
    public async Task StockClientWithoutACertificate_IsRefused_AndNothingIsWritten()
    {
        using var client = BuildClient(settings: null);

        await AssertRefusedAsync(client);
    }

    [Fact]
    public async Task ClientWithASelfSignedCertificate_IsRefused_AndNothingIsWritten()
    {
        using var client = BuildClient(TestCertificates.SelfSignedClientSettings);

        await AssertRefusedAsync(client);
    }

    private async Task AssertRefusedAsync(IHost client)
    {
        var rowsBefore = await _silos.RowCountAsync();
        var jti = RegistryCluster.NewJti("hostile");
        var attempt = Task.Run(async () =>
        {
            await client.StartAsync();
            await client.Services.GetRequiredService<IClusterClient>().GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "hostile");
        });

        var finished = await Task.WhenAny(attempt, Task.Delay(Refusal));

        // Refused at the handshake: the client fails to connect (or is still trying), and no call landed.
        Assert.True(finished != attempt || attempt.IsFaulted, "the client reached a grain without a certificate of the cluster CA");
        Assert.Equal(0, await _silos.RowCountAsync(jti));
        Assert.Equal(rowsBefore, await _silos.RowCountAsync());
    }

    private IHost BuildClient(IReadOnlyDictionary<string, string?>? settings) => TestClients.Build(_silos, settings);
}
