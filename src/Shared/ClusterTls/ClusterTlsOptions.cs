namespace Revocation.ClusterTls;

/// <summary>
/// Mutual TLS on the registry's Orleans connections (<c>ClusterTls</c>): silo to silo, and API node
/// (or any registry client) to a silo's gateway. Every process presents a certificate signed by the
/// cluster's own CA and accepts only peers whose certificate is; a connection without one is refused
/// at the handshake. Required outside Development (see <see cref="AllowUnauthenticatedClusterAccess"/>).
/// </summary>
/// <remarks>Compiled into the silo and into the client library alike (one settings story).</remarks>
internal sealed class ClusterTlsOptions
{
    public const string SectionName = "ClusterTls";

    /// <summary>
    /// This process's certificate, PEM. A silo's is used both ways (extended key usage serverAuth and
    /// clientAuth, or none); an API node's for client authentication.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's private key, PEM (unencrypted; may be the certificate's own file).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The cluster CA's certificate, PEM: the only issuer trusted for peers' certificates.</summary>
    public string? CaPath { get; set; }

    /// <summary>
    /// Runs the Orleans connections in plain TCP: anyone who reaches a silo or gateway port can call
    /// any grain (revoke every user's tokens, take over an API node's lease and hide revocations from
    /// it) and read or rewrite every answer on the way. Outside Development a process without
    /// certificate settings refuses to start unless this is true. The default is false.
    /// </summary>
    public bool AllowUnauthenticatedClusterAccess { get; set; }

    /// <summary>Longest a TLS handshake may take before the connection is dropped. The default is 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether certificate settings are given (any of them).</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(KeyPath) || !string.IsNullOrWhiteSpace(CaPath);
}
