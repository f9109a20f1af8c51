namespace Revocation.Api.SharedSignals;

/// <summary>
/// The Shared Signals receiver (<see cref="SharedSignalsApi.Path"/>): Security Event Tokens pushed per
/// RFC 8935 by the transmitters listed here, bound from the <c>SharedSignals</c> section. With no
/// transmitter the endpoint does not exist (404).
/// </summary>
public sealed class SharedSignalsOptions
{
    public const string SectionName = "SharedSignals";

    /// <summary>The transmitters whose events are acted on; a SET from any other issuer is refused (<c>invalid_issuer</c>).</summary>
    public List<TransmitterOptions> Transmitters { get; set; } = [];

    /// <summary>
    /// How old a SET (its <c>iat</c>) may be when it arrives: an older one is refused, since its
    /// <c>jti</c> is remembered (to recognise a second delivery) only this long. Covers a transmitter's
    /// retries after an outage. The default is 1 day.
    /// </summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How far in the past a subject's not-before may be set from an event's <c>event_timestamp</c>:
    /// an event that took longer to arrive revokes the subject's tokens issued up to that long ago
    /// instead (more, never less, than it asked). Keep it below the silos'
    /// <c>SubjectRevocation:MaxIssuerClockOffset</c> (10 minutes by default), which refuses a not-before
    /// further from the silo's clock. The default is 5 minutes.
    /// </summary>
    public TimeSpan MaxNotBeforeAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of this node's clock a SET's <c>iat</c> or <c>event_timestamp</c> may lie. The default is 5 minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest SET accepted, in bytes (UTF-8 compact JWS). The default is 64 KiB.</summary>
    public int MaxSetBytes { get; set; } = 64 * 1024;
}
