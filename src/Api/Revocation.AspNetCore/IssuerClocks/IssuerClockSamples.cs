namespace Revocation.AspNetCore.IssuerClocks;

/// <summary>
/// The largest clock offset sample of one issuer over the last two buckets (the current one and the
/// one before). Recording a sample that changes nothing — the common case — is a volatile read and
/// two compares; a new maximum or a new bucket swaps in a new immutable snapshot under a lock.
/// </summary>
internal sealed class IssuerClockSamples(string issuer)
{
    private const long None = long.MinValue;

    private readonly Lock _writing = new();
    private Buckets _buckets = new(long.MinValue, None, None);

    public string Issuer { get; } = issuer;

    /// <summary>Records <paramref name="sample"/> (ticks: <c>iat</c> minus arrival) in bucket <paramref name="bucket"/>.</summary>
    public void Record(long sample, long bucket)
    {
        var buckets = Volatile.Read(ref _buckets);
        if (buckets.Bucket == bucket && sample <= buckets.Current)
        {
            return;
        }

        lock (_writing)
        {
            Volatile.Write(ref _buckets, _buckets.With(sample, bucket));
        }
    }

    /// <summary>The largest sample of bucket <paramref name="bucket"/> and the one before, in ticks; <c>null</c> when there is none.</summary>
    public long? Largest(long bucket)
    {
        var buckets = Volatile.Read(ref _buckets);
        var largest = bucket == buckets.Bucket ? Math.Max(buckets.Current, buckets.Previous)
            : bucket == buckets.Bucket + 1 ? buckets.Current
            : None;
        return largest == None ? null : largest;
    }

    /// <param name="Bucket">The bucket <paramref name="Current"/> belongs to.</param>
    /// <param name="Current">The largest sample of <paramref name="Bucket"/>.</param>
    /// <param name="Previous">The largest sample of the bucket before it.</param>
    private sealed record Buckets(long Bucket, long Current, long Previous)
    {
        public Buckets With(long sample, long bucket)
        {
            if (bucket == Bucket)
            {
                return sample <= Current ? this : this with { Current = sample };
            }

            if (bucket > Bucket)
            {
                return new Buckets(bucket, sample, bucket == Bucket + 1 ? Current : None);
            }

            // A caller that read the clock just before another one moved to the next bucket.
            return bucket == Bucket - 1 && sample > Previous ? this with { Previous = sample } : this;
        }
    }
}
