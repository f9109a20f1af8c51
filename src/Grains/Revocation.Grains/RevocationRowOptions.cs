namespace Revocation.Grains;

/// <summary>
/// How the grains that hold one revocation row each (<see cref="RevocationRowGrain"/>: tokens,
/// sessions) cache it and how many of them a silo holds; each kind binds its own section.
/// </summary>
public abstract class RevocationRowOptions
{
    /// <summary>The configuration section of this kind.</summary>
    public abstract string Section { get; }

    /// <summary>
    /// How long an idle grain stays in memory: the cache's TTL. It must be at least one minute and
    /// longer than Orleans' collection quantum. The default is 5 minutes.
    /// </summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The oldest a "not revoked" answer may be before it is re-read from the database. It bounds
    /// what a duplicate activation can hide: with the distributed grain directory one exists only on
    /// a silo evicted while it still runs, until that silo stops itself (docs/DESIGN.md, "Duplicate
    /// activations"), and its answer is at most this old (an API node may keep it for
    /// <c>RevocationCheck:NearCache:MaxAge</c> more). <see cref="TimeSpan.Zero"/> switches caching
    /// off: every check reads the database. The default is 10 minutes.
    /// </summary>
    public TimeSpan NotRevokedMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most grains of this kind one silo holds: a hard memory bound that holds however fast new
    /// keys arrive (a token grain costs about 2.7 KB of heap with its directory entry). Past it, the
    /// least recently used are deactivated. 0 switches the cap off, leaving only Orleans'
    /// memory-pressure shedding. The default is 100 000.
    /// </summary>
    public int MaxActivationsPerSilo { get; set; } = 100_000;

    /// <summary>Whether answers are cached at all; see <see cref="NotRevokedMaxAge"/>.</summary>
    public bool CachingEnabled => NotRevokedMaxAge > TimeSpan.Zero;
}
