using Orleans.Configuration;
using Revocation.Grains;

namespace Revocation.Silo.Hosting;

/// <summary>
/// Idle collection is the cache TTL, per grain type (<c>TokenGrain:CollectionAge</c>,
/// <c>SubjectRevocation:CollectionAge</c>, <c>SessionRevocation:CollectionAge</c>); shedding on memory pressure is what bounds memory when
/// steady traffic keeps every activation young. Both can be overridden from the
/// <c>GrainCollection</c> section, bound after this (Orleans validates those values at start).
/// </summary>
public static class GrainCollectionSettings
{
    public static void Apply(GrainCollectionOptions collection, TokenGrainOptions tokens, SubjectRevocationOptions subjects, SessionRevocationOptions sessions)
    {
        collection.ClassSpecificCollectionAge[typeof(TokenGrain).FullName!] = tokens.CollectionAge;
        collection.ClassSpecificCollectionAge[typeof(SubjectGrain).FullName!] = subjects.CollectionAge;
        collection.ClassSpecificCollectionAge[typeof(SessionGrain).FullName!] = sessions.CollectionAge;
        collection.EnableActivationSheddingOnMemoryPressure = true;
        collection.MemoryUsageLimitPercentage = 80;
        collection.MemoryUsageTargetPercentage = 70;
        // Orleans polls every 5 s by default: at a few thousand new tokens per second a silo filled
        // its heap between two polls and died (benchmarks/results-memory.md).
        collection.MemoryUsagePollingPeriod = TimeSpan.FromSeconds(1);
    }
}
