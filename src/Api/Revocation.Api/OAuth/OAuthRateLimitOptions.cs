namespace Revocation.Api.OAuth;

/// <summary>
/// Request limits of <c>/oauth2/*</c>, bound from <c>OAuth:RateLimit</c> and read at start. A request
/// with valid client credentials counts against its client's permits only; any other request
/// (no, malformed or wrong credentials) against its source address's. So a client's traffic, or
/// guesses at its secret from elsewhere, never use up another client's permits.
/// </summary>
public sealed class OAuthRateLimitOptions
{
    /// <summary>Requests per <see cref="Window"/> per authenticated client id. The default is 100.</summary>
    public int ClientPermitLimit { get; set; } = 100;

    /// <summary>
    /// Requests per <see cref="Window"/> per source address (IPv6: per /64) without valid client
    /// credentials. The default is 10.
    /// </summary>
    public int AddressPermitLimit { get; set; } = 10;

    /// <summary>The fixed window the permits are counted in (1 s – 1 h). The default is 1 second.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}
