using Revocation.ClusterTls;

namespace Revocation.AspNetCore;

public static class RegistryClientTlsExtensions
{
    /// <summary>
    /// Mutual TLS to the registry's gateways, from the <c>ClusterTls</c> configuration section:
    /// <c>CertificatePath</c> and <c>KeyPath</c> (this API deployment's certificate and key, PEM) and
    /// <c>CaPath</c> (the registry cluster's CA, PEM; the only issuer trusted for the silos). Outside
    /// Development the client refuses to start without them, unless
    /// <c>ClusterTls:AllowUnauthenticatedClusterAccess</c> is true (plain TCP: anyone on the path can
    /// read or rewrite the registry's answers).
    /// </summary>
    public static IClientBuilder UseRegistryTls(this IClientBuilder client)
    {
        ClusterTlsHosting.ForClient(client.Services);
        return client;
    }
}
