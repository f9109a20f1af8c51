using Orleans.Connections.Security;

namespace Revocation.ClusterTls;

/// <summary>The Orleans TLS settings of a process with <see cref="ClusterTlsOptions"/>: mutual, this cluster's CA only.</summary>
internal static class ClusterTlsConnections
{
    /// <summary>The TLS settings for this process's connections; <c>null</c> when it runs without TLS (allowed by validation).</summary>
    public static TlsOptions? Create(ClusterTlsOptions options)
    {
        if (!options.Configured)
        {
            return null;
        }

        // Kept for the process lifetime: every connection presents and checks against these.
        var certificates = ClusterCertificates.Load(options);
        return new TlsOptions
        {
            LocalCertificate = certificates.Own,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (peer, _, _) => certificates.IsSignedByClusterCa(peer),
            HandshakeTimeout = options.HandshakeTimeout,
        };
    }
}
