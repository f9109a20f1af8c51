namespace Revocation.Api.SharedSignals;

/// <summary>The Shared Signals push receiver (RFC 8935).</summary>
public static class SharedSignalsApi
{
    /// <summary>Where transmitters push SETs (the stream's delivery <c>endpoint_url</c>).</summary>
    public const string Path = "/ssf/events";
}
