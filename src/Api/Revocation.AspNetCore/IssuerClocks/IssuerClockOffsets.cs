using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Revocation.AspNetCore.IssuerClocks;

/// <summary>
/// What the tokens this node checked tell about their issuers' clocks. Each validated token gives a
/// sample, its <c>iat</c> minus the moment it arrived here (this node's wall clock): a lower bound of
/// how far the issuer's clock runs ahead of this node's (δ), since a token is presented after it was
/// minted and <c>iat</c> is floored to the second. The largest sample of the last
/// <see cref="IssuerClockOptions.Window"/> approaches δ as fresh tokens arrive; "log out everywhere"
/// takes its not-before on the issuer's clock from it.
/// </summary>
/// <remarks>
/// Recording is on every check's path: per issuer string, no allocation once the issuer is known, and
/// the last issuer's entry is kept by reference so that a node serving one issuer skips the dictionary.
/// </remarks>
internal sealed class IssuerClockOffsets
{
    /// <summary>
    /// The most issuers remembered. Only validated tokens are sampled, so issuers are the ones the
    /// application trusts; the bound keeps memory fixed even so. An issuer past it gets no estimate
    /// (and "log out everywhere" then assumes the full clock skew for it).
    /// </summary>
    internal const int MaxIssuers = 1000;

    private readonly ConcurrentDictionary<string, IssuerClockSamples> _issuers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _bucketLength;
    private IssuerClockSamples? _last;
    private int _count;

    public IssuerClockOffsets(TimeProvider time, IOptions<IssuerClockOptions> options)
    {
        _time = time;
        Window = options.Value.Window;
        _bucketLength = Math.Max(1, (long)(Window.TotalSeconds / 2 * time.TimestampFrequency));
    }

    /// <summary>How long a sample counts: at least half of it, at most all of it.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Records what a validated token says about its issuer's clock. A sample further ahead than
    /// <paramref name="clockSkew"/> is dropped: such a token is refused anyway (its <c>iat</c> is in
    /// the future), and it must not push the estimate past what any check accepts.
    /// </summary>
    public void Record(string issuer, DateTimeOffset issuedAt, TimeSpan clockSkew)
    {
        var sample = issuedAt.UtcTicks - _time.GetUtcNow().UtcTicks;
        if (sample > clockSkew.Ticks)
        {
            return;
        }

        var samples = Volatile.Read(ref _last);
        if (samples is null || !string.Equals(samples.Issuer, issuer, StringComparison.Ordinal))
        {
            if (!_issuers.TryGetValue(issuer, out samples))
            {
                if (Volatile.Read(ref _count) >= MaxIssuers)
                {
                    return;
                }

                samples = new IssuerClockSamples(issuer);
                if (_issuers.TryAdd(issuer, samples))
                {
                    Interlocked.Increment(ref _count);
                }
                else
                {
                    samples = _issuers[issuer];
                }
            }

            Volatile.Write(ref _last, samples);
        }

        samples.Record(sample, Bucket());
    }

    /// <summary>
    /// The largest offset sample of <paramref name="issuer"/> within the window: how far its clock
    /// runs ahead of this node's, less a shortfall (see the type's summary); <c>null</c> when none of
    /// its tokens was checked here within the window.
    /// </summary>
    public TimeSpan? Offset(string issuer) =>
        _issuers.TryGetValue(issuer, out var samples) && samples.Largest(Bucket()) is { } ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>The issuers with an estimate right now.</summary>
    public IEnumerable<string> Issuers
    {
        get
        {
            var bucket = Bucket();
            return _issuers.Where(issuer => issuer.Value.Largest(bucket) is not null).Select(issuer => issuer.Key);
        }
    }

    private long Bucket() => _time.GetTimestamp() / _bucketLength;
}
