using Revocation.Abstractions;

namespace Revocation.Grains.Received;

/// <summary>
/// The durable records of tokens identity providers delivered, one per (<c>iss</c>, <c>jti</c>),
/// each held until its <c>seen_until</c>; the sweeper deletes it after that.
/// </summary>
public interface IReceivedTokenStore
{
    /// <summary>Until when <paramref name="token"/> is recorded as seen, or <c>null</c> when it is not (or no longer) recorded.</summary>
    Task<DateTimeOffset?> FindSeenUntilAsync(IssuerKey token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="token"/> as seen until <paramref name="seenUntil"/>, answered once committed; a repeat never shortens a record.</summary>
    Task RecordAsync(IssuerKey token, DateTimeOffset seenUntil, CancellationToken cancellationToken);
}
