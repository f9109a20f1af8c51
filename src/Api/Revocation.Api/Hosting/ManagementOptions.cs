namespace Revocation.Api.Hosting;

/// <summary>Where the operational endpoints are served, bound from the <c>Management</c> section.</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>
    /// A URL with an explicit port (e.g. <c>http://10.0.0.5:9464</c>, <c>http://+:9464</c>) that the
    /// node listens on in addition to its API URLs. <c>/metrics</c> and <c>/openapi/v1.json</c> are
    /// answered only on connections to that port (the local port of the connection decides, never the
    /// <c>Host</c> header), and only they and <c>/health/*</c> are answered there. Unset, they exist
    /// only in the Development environment, on the API port. The default is unset.
    /// </summary>
    public string? Url { get; set; }
}
