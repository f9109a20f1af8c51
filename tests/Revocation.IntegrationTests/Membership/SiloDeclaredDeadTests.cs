using Revocation.Silo.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Hosting;

namespace Revocation.IntegrationTests.Membership;

/// <summary>
/// Membership news reaches silos at different moments. Here the moment is held open: of three
/// silos that refresh the membership table once a day and probe each other a minute apart, one (the
/// heir) reads that another (the victim) is dead and takes over the victim's share of the grain
/// directory, while the third (the host) has not read it and still runs token grains whose
/// directory entries the victim held. The heir then asks for those grains. The victim keeps
/// running, as an evicted silo does until it learns of its eviction, but nothing here reaches it.
/// </summary>
public sealed class SiloDeclaredDeadTests
{
    private const int GrainCount = 12;

    [Fact]
    public async Task DistributedDirectory_MembersOutOfStep_EachGrainKeepsItsOneActivation()
    {
        await using var cluster = await OutOfStepCluster.StartAsync(GrainDirectoryKind.Distributed);
        await cluster.DeclareTheVictimDeadAsync();

        await cluster.AskFromTheHeirAsync();

        // The heir recovered the victim's range from the members' own activations (the host answered
        // although it had not seen the new membership), so its calls went to the host's activations;
        // and the heir's own grain whose entry the victim held was kept, not deactivated.
        Assert.Equal([1, GrainCount], [cluster.TokenGrainsOn(cluster.Heir), cluster.TokenGrainsOn(cluster.Host)]);

        // One activation, one answer: what is revoked through the heir is revoked through the host.
        var jti = cluster.Jtis[0];
        await cluster.GrainsOf(cluster.Heir).GetTokenGrain(TestTokens.Issuer, jti).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "test");
        Assert.True(await cluster.GrainsOf(cluster.Host).GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
    }

    [Fact]
    public async Task LocalDirectory_MembersOutOfStep_EachGrainActivatesTwice()
    {
        await using var cluster = await OutOfStepCluster.StartAsync(GrainDirectoryKind.Local);
        await cluster.DeclareTheVictimDeadAsync();

        // Orleans' default directory deactivates the heir's own activations whose entries the victim
        // held: once the heir's canary is gone, the heir's directory has applied the new membership.
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(cluster.TokenGrainsOn(cluster.Heir) == 0));

        await cluster.AskFromTheHeirAsync();

        // Why the silos run the distributed directory: the heir found no entries and activated every
        // grain again while the host still runs the first activations, each answering from its own memory.
        Assert.Equal([GrainCount, GrainCount], [cluster.TokenGrainsOn(cluster.Heir), cluster.TokenGrainsOn(cluster.Host)]);
    }

    private sealed class OutOfStepCluster : IAsyncDisposable
    {
        private readonly TestSilos _silos;
        private readonly SiloAddress[] _addresses;

        private OutOfStepCluster(TestSilos silos, SiloAddress[] addresses, int heir, int victim, int host, List<string> jtis)
        {
            _silos = silos;
            _addresses = addresses;
            Heir = heir;
            Victim = victim;
            Host = host;
            Jtis = jtis;
        }

        public int Heir { get; }

        public int Victim { get; }

        public int Host { get; }

        /// <summary>Token grains on the host whose entries the victim held and the heir takes over.</summary>
        public List<string> Jtis { get; }

        public static async Task<OutOfStepCluster> StartAsync(GrainDirectoryKind directory)
        {
            var silos = await TestSilos.StartAsync(3, "outofstep", ClusterProvider.AdoNet, settings: new Dictionary<string, string?>
            {
                ["Cluster:GrainDirectory"] = directory.ToString(),
                // The victim's death is written to the table behind the silos' backs (no silo gossips
                // it), so a silo hears of it only when this test makes it read the table.
                ["Cluster:Membership:TableRefreshTimeout"] = "1.00:00:00",
                ["Cluster:Membership:IAmAliveTablePublishTimeout"] = "1.00:00:00",
                // The victim would learn of its eviction from probes it sends that go unanswered; with
                // probes a minute apart that takes minutes, longer than the test.
                ["Cluster:Membership:ProbeTimeout"] = "00:01:00",
                ["NodeLeases:LeaseDuration"] = "00:00:01",
            });
            try
            {
                var addresses = Enumerable.Range(0, 3).Select(i => silos.SiloServices(i).GetRequiredService<ILocalSiloDetails>().SiloAddress).ToArray();
                foreach (var i in Enumerable.Range(0, 3))
                {
                    var membership = silos.SiloServices(i).GetRequiredService<IClusterMembershipService>();
                    await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(
                        addresses.All(a => membership.CurrentSnapshot.GetSiloStatus(a) == SiloStatus.Active)));
                }

                // Roles from the directory's ring: the victim's range passes to the member before it.
                var ring = Enumerable.Range(0, 3).OrderBy(i => RingPosition(directory, addresses[i])).ToArray();
                var (heir, victim, host) = (ring[0], ring[1], ring[2]);
                var before = addresses;
                var after = addresses.Where((_, i) => i != victim).ToArray();
                var jtis = new List<string>();
                string? canary = null;
                for (var attempt = 0; jtis.Count < GrainCount; attempt++)
                {
                    Assert.True(attempt < 100_000, "No token ids found in the victim's directory range.");
                    var jti = RegistryCluster.NewJti("dup");
                    var hash = silos.Grains.GetTokenGrain(TestTokens.Issuer, jti).GetGrainId().GetUniformHashCode();
                    if (Owner(directory, before, hash).Equals(addresses[victim]) && Owner(directory, after, hash).Equals(addresses[heir]))
                    {
                        if (canary is null)
                        {
                            canary = jti;
                        }
                        else
                        {
                            jtis.Add(jti);
                        }
                    }
                }

                var cluster = new OutOfStepCluster(silos, addresses, heir, victim, host, jtis);
                await cluster.AskAsync(heir, [canary!]);
                await cluster.AskAsync(host, jtis);
                Assert.Equal([1, GrainCount], [cluster.TokenGrainsOn(heir), cluster.TokenGrainsOn(host)]);
                Assert.Equal(0, cluster.TokenGrainsOn(victim));
                return cluster;
            }
            catch
            {
                await silos.DisposeAsync();
                throw;
            }
        }

        public IGrainFactory GrainsOf(int silo) => _silos.SiloServices(silo).GetRequiredService<IGrainFactory>();

        public int TokenGrainsOn(int silo) => _silos.SiloServices(silo).GetRequiredService<TokenActivationCap>().Count;

        /// <summary>
        /// Marks the victim dead in the membership table, as the silos that voted it out would, and
        /// makes the heir read it; the host does not.
        /// </summary>
        public async Task DeclareTheVictimDeadAsync()
        {
            var victim = _addresses[Victim];
            var marked = await TestPostgres.ScalarAsync<long>(_silos.ConnectionString, """
                WITH dead AS (
                    UPDATE OrleansMembershipTable SET Status = 6
                    WHERE DeploymentId = $1 AND Address = $2 AND Port = $3 AND Generation = $4
                    RETURNING 1),
                bumped AS (
                    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
                    WHERE DeploymentId = $1 AND EXISTS (SELECT 1 FROM dead)
                    RETURNING 1)
                SELECT count(*) FROM dead, bumped
                """, _silos.ClusterId, victim.Endpoint.Address.ToString(), victim.Endpoint.Port, victim.Generation);
            Assert.Equal(1, marked);

            // The host has not read the table: it still sees the victim active. Checked before the heir
            // reads it, because from then on the heir's directory may tell the host of the newer
            // membership version (Orleans' directory asks a member behind it to catch up), and the
            // host may refresh at any moment; each grain must keep its one activation either way.
            var host = _silos.SiloServices(Host).GetRequiredService<IClusterMembershipService>();
            Assert.Equal(SiloStatus.Active, host.CurrentSnapshot.GetSiloStatus(victim));
            var heir = _silos.SiloServices(Heir).GetRequiredService<IClusterMembershipService>();
            await heir.Refresh();
            Assert.Equal(SiloStatus.Dead, heir.CurrentSnapshot.GetSiloStatus(victim));
        }

        /// <summary>Checks every jti from the heir; a grain that has to be activated is placed on the heir.</summary>
        public Task AskFromTheHeirAsync() => AskAsync(Heir, Jtis);

        private async Task AskAsync(int silo, IEnumerable<string> jtis)
        {
            var grains = GrainsOf(silo);
            RequestContext.Set(IPlacementDirector.PlacementHintKey, _addresses[silo]);
            try
            {
                foreach (var jti in jtis)
                {
                    Assert.False(await grains.GetTokenGrain(TestTokens.Issuer, jti).IsRevokedAsync());
                }
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }
        }

        // Where Orleans 10.4.2 keeps a grain's directory entry, mirrored so that the test can pick
        // grains in the victim's range. Local (LocalGrainDirectory.CalculateGrainDirectoryPartition):
        // members sorted by their consistent hash as a signed number, each owning from its own hash up
        // to the next member's. Distributed (DirectoryMembershipSnapshot, one partition per silo): the
        // same hash as an unsigned number, each owning the range after its own hash up to the next's.
        private static long RingPosition(GrainDirectoryKind directory, SiloAddress silo) =>
            directory == GrainDirectoryKind.Local ? silo.GetConsistentHashCode() : (uint)silo.GetConsistentHashCode();

        private static SiloAddress Owner(GrainDirectoryKind directory, SiloAddress[] members, uint hash)
        {
            var ring = members.OrderBy(m => RingPosition(directory, m)).ToArray();
            var owner = directory == GrainDirectoryKind.Local
                ? ring.LastOrDefault(m => RingPosition(directory, m) <= (int)hash)
                : ring.LastOrDefault(m => RingPosition(directory, m) < hash);
            return owner ?? ring[^1];
        }

        public ValueTask DisposeAsync() => _silos.DisposeAsync();
    }
}
