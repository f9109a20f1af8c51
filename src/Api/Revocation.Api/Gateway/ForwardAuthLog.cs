namespace Revocation.Api.Gateway;

/// <summary>Log lines of the forward-auth endpoint. They name claims and headers, never their values.</summary>
internal static partial class ForwardAuthLog
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information,
        Message = "An accepted token's {Claim} claim was not forwarded in {Header}: it is not one string of printable ASCII of at most 1024 characters; the backend receives no {Header} header")]
    public static partial void ClaimLeftOut(ILogger logger, string claim, string header);
}
