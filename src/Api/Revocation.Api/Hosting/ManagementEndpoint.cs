namespace Revocation.Api.Hosting;

/// <summary>
/// Endpoint metadata: the endpoint belongs to the management port (when one is configured). Health
/// is answered on both ports, because orchestrators probe the API port.
/// </summary>
public sealed class ManagementEndpoint
{
    private ManagementEndpoint(bool alsoOnApiPort) => AlsoOnApiPort = alsoOnApiPort;

    /// <summary>Metrics, OpenAPI: only on the management port.</summary>
    public static ManagementEndpoint Only { get; } = new(false);

    /// <summary>Health: on the management port and the API port.</summary>
    public static ManagementEndpoint AndApi { get; } = new(true);

    public bool AlsoOnApiPort { get; }
}
