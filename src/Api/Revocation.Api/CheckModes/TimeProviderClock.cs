using Microsoft.Extensions.Internal;

namespace Revocation.Api.CheckModes;

/// <summary>The node's <see cref="TimeProvider"/> as the clock <c>MemoryCache</c> reads expirations from.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
