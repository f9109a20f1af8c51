using System.Security.Cryptography.X509Certificates;

namespace Revocation.ClusterTls;

/// <summary>This process's certificate and the cluster CA, loaded from the <see cref="ClusterTlsOptions"/> files.</summary>
internal sealed class ClusterCertificates : IDisposable
{
    private ClusterCertificates(X509Certificate2 own, X509Certificate2 ca)
    {
        Own = own;
        Ca = ca;
    }

    public X509Certificate2 Own { get; }

    public X509Certificate2 Ca { get; }

    public static ClusterCertificates Load(ClusterTlsOptions options)
    {
        var own = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath);
        if (!own.HasPrivateKey)
        {
            own.Dispose();
            throw new InvalidOperationException($"{options.KeyPath} holds no private key for {options.CertificatePath}");
        }

        return new ClusterCertificates(own, X509Certificate2.CreateFromPem(File.ReadAllText(options.CaPath!)));
    }

    /// <summary>
    /// Whether <paramref name="peer"/> chains to the cluster CA (and is within its validity): the only
    /// trust there is. Host names are not compared: silos and API nodes connect by address, and
    /// holding a certificate of this CA is what lets a process in.
    /// </summary>
    public bool IsSignedByClusterCa(X509Certificate2 peer)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer);
    }

    public void Dispose()
    {
        Own.Dispose();
        Ca.Dispose();
    }
}
