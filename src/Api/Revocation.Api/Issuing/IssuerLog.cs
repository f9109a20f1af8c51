namespace Revocation.Api.Issuing;

/// <summary>Log lines of the development issuer.</summary>
internal static partial class IssuerLog
{
    // A Warning, not Information: an issuer on where it should not be (Development set by mistake
    // on a reachable node) must stand out in the start-up log.
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning,
        Message = "The development token issuer is on (environment {Environment}, Issuer:Enabled): POST /auth/token mints a token for any subject and scope, admin included, to anyone who reaches this node; never run Development where untrusted callers can reach it")]
    public static partial void IssuerOn(ILogger logger, string environment);
}
