using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Revocation.Api.OAuth;

/// <summary>
/// The rate limit of <c>/oauth2/*</c> (<see cref="OAuthRateLimitOptions"/>): one fixed window per
/// authenticated client id, one per source address for everything else. The partition is chosen
/// after client authentication, not from the client id a request merely claims: counting claims
/// would let anyone use up a client's permits by sending its id with a wrong secret, and one bucket
/// per address for every request would let one client behind a shared address (a NAT, a proxy)
/// lock out the others there. Brute force on a secret is bounded by the address limit and made
/// pointless by the secrets' entropy (<see cref="ClientSecretStrength"/>).
/// </summary>
internal sealed class OAuthRateLimitPolicy(ClientAuthenticator clients, IOptions<OAuthClientOptions> options)
    : IRateLimiterPolicy<string>
{
    public const string Name = "oauth2";

    private readonly OAuthRateLimitOptions _limits = options.Value.RateLimit;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        // The prefixes keep the two kinds apart: no client id can name an address's partition.
        return clients.Authenticate(httpContext) is { } clientId
            ? Window("client:" + clientId, _limits.ClientPermitLimit)
            : Window("address:" + AddressPartition(httpContext.Connection.RemoteIpAddress), _limits.AddressPermitLimit);
    }

    /// <summary>
    /// The source address as a partition: IPv4 as it is (an IPv4-mapped IPv6 address too), IPv6 by
    /// its /64, the smallest block a host is usually given: one host must not get a fresh partition
    /// per address it picks from its own block.
    /// </summary>
    internal static string AddressPartition(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        // A fixed window's refusal carries the time to wait; the window is the most it can be.
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _limits.Window;
        return new ValueTask(OAuthResults.TooManyRequests(rejected.HttpContext, retryAfter).ExecuteAsync(rejected.HttpContext));
    }

    private RateLimitPartition<string> Window(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = _limits.Window,
            QueueLimit = 0, // refused at once with Retry-After, never held waiting
        });
}
