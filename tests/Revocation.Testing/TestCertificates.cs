using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;

namespace Revocation.Testing;

/// <summary>
/// A throwaway cluster CA for this test process, with certificates it signed for silos and for API
/// nodes, and one self-signed certificate it did not sign: PEM files in a private temporary folder,
/// as deployments hand them over (<c>ClusterTls:*</c> settings).
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<Files> Created = new(Create);

    /// <summary>A silo's <c>ClusterTls</c> settings (certificate for both directions).</summary>
    public static IReadOnlyDictionary<string, string?> SiloSettings => Settings(Created.Value.Silo);

    /// <summary>An API node's <c>ClusterTls</c> settings (client certificate of this CA).</summary>
    public static IReadOnlyDictionary<string, string?> ClientSettings => Settings(Created.Value.Client);

    /// <summary>A client certificate that no cluster CA signed (self-signed), and the cluster CA to trust.</summary>
    public static IReadOnlyDictionary<string, string?> SelfSignedClientSettings => Settings(Created.Value.SelfSigned);

    /// <summary>The same settings as environment variables (<c>ClusterTls__CertificatePath=…</c>) for processes.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsEnvironment(IReadOnlyDictionary<string, string?> settings) =>
        settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));

    /// <summary>A process's environment with <paramref name="settings"/> added as <c>ClusterTls__*</c> variables.</summary>
    public static Dictionary<string, string> WithClusterTls(this Dictionary<string, string> environment, IReadOnlyDictionary<string, string?> settings)
    {
        foreach (var (key, value) in AsEnvironment(settings))
        {
            environment[key] = value!;
        }

        return environment;
    }

    private static Dictionary<string, string?> Settings((string Certificate, string Key) own) => new()
    {
        ["ClusterTls:CertificatePath"] = own.Certificate,
        ["ClusterTls:KeyPath"] = own.Key,
        ["ClusterTls:CaPath"] = Created.Value.Ca,
    };

    private static Files Create()
    {
        var folder = Directory.CreateTempSubdirectory("registry-test-tls-").FullName;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(2);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=registry test cluster CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        var caPath = Path.Combine(folder, "ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());

        return new Files(
            caPath,
            Issue(folder, "silo", ca, serverAuth: true, notBefore, notAfter),
            Issue(folder, "api", ca, serverAuth: false, notBefore, notAfter),
            Issue(folder, "self-signed", issuer: null, serverAuth: false, notBefore, notAfter));
    }

    private static (string Certificate, string Key) Issue(string folder, string name, X509Certificate2? issuer, bool serverAuth, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=registry test {name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }; // clientAuth
        if (serverAuth)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = issuer is null
            ? request.CreateSelfSigned(notBefore, notAfter)
            : request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        var certificatePath = Path.Combine(folder, $"{name}.crt");
        var keyPath = Path.Combine(folder, $"{name}.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private sealed record Files(string Ca, (string Certificate, string Key) Silo, (string Certificate, string Key) Client, (string Certificate, string Key) SelfSigned);
}
