namespace Revocation.Api.SharedSignals;

/// <summary>
/// One Shared Signals transmitter (an entry of <c>SharedSignals:Transmitters</c>): who signs the SETs,
/// with which keys, for which audience, and whose tokens its subjects name.
/// </summary>
public sealed class TransmitterOptions
{
    /// <summary>The transmitter's issuer: every SET's <c>iss</c> must equal it exactly. Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> the transmitter sends to this receiver (the stream's audience). Required.</summary>
    public string? Audience { get; set; }

    /// <summary>PEM-encoded RSA or EC public keys that verify the SETs' signatures.</summary>
    public string[] PublicKeys { get; set; } = [];

    /// <summary>The transmitter's JWKS URL, when its keys are published rather than configured.</summary>
    public string? JwksUri { get; set; }

    /// <summary>
    /// The transmitter's configuration metadata (<c>/.well-known/ssf-configuration</c>): its
    /// <c>jwks_uri</c> gives the keys, and its <c>issuer</c> must equal <see cref="Issuer"/>.
    /// </summary>
    public string? ConfigurationUrl { get; set; }

    /// <summary>Whether <see cref="JwksUri"/> and <see cref="ConfigurationUrl"/> must be HTTPS. The default is true outside Development.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>
    /// The token issuer (<c>Jwt:Issuers</c>) whose users and sessions the transmitter's <c>opaque</c>
    /// subject identifiers name. The default is <see cref="Issuer"/> (an identity provider that
    /// transmits about its own tokens). Subjects in <c>iss_sub</c> format name their issuer themselves.
    /// </summary>
    public string? SubjectIssuer { get; set; }

    /// <summary>
    /// The <c>Authorization</c> header value the transmitter was given for push delivery (the stream's
    /// <c>authorization_header</c>); when set, a push without exactly this header is refused
    /// (<c>authentication_failed</c>) before its SET is read. The signature is checked either way.
    /// </summary>
    public string? AuthorizationHeader { get; set; }
}
