namespace Revocation.AspNetCore;

/// <summary>How an API finds the registry silos' gateways (<c>Registry:Clustering</c>).</summary>
public enum RegistryClustering
{
    /// <summary>
    /// Active gateways from the Orleans membership table in the registry database
    /// (<c>ConnectionStrings:Registry</c>), re-read every <see cref="RevocationRegistryClientOptions.GatewayListRefreshPeriod"/>:
    /// silos added later are found without configuration. The default.
    /// </summary>
    AdoNet,

    /// <summary>A fixed list of gateway endpoints (<see cref="RevocationRegistryClientOptions.Gateways"/>, <c>address:port</c>).</summary>
    Static,

    /// <summary>Gateway ports on 127.0.0.1 (<see cref="RevocationRegistryClientOptions.GatewayPorts"/>): for development.</summary>
    Localhost,
}
