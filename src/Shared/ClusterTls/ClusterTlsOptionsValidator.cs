using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Revocation.ClusterTls;

/// <summary>
/// Refuses to start a process whose cluster connections would be open to anyone: outside Development
/// without certificates (unless explicitly allowed), or with certificate settings that are incomplete
/// or unreadable (each error names the setting).
/// </summary>
internal sealed class ClusterTlsOptionsValidator(IHostEnvironment environment) : IValidateOptions<ClusterTlsOptions>
{
    private const string S = ClusterTlsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (options.HandshakeTimeout <= TimeSpan.Zero || options.HandshakeTimeout > TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail($"{S}:{nameof(options.HandshakeTimeout)} must be more than 0 and at most 1 minute (was {options.HandshakeTimeout}).");
        }

        if (!options.Configured)
        {
            return environment.IsDevelopment() || options.AllowUnauthenticatedClusterAccess
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{S}:{nameof(options.CertificatePath)}, {S}:{nameof(options.KeyPath)} and {S}:{nameof(options.CaPath)} are required outside Development " +
                    $"(environment: {environment.EnvironmentName}): without mutual TLS anyone who reaches a silo or gateway port can call any grain. " +
                    $"Give this process a certificate signed by the cluster's CA (docs/deploy.md, \"Cluster certificates\"), or set {S}:{nameof(options.AllowUnauthenticatedClusterAccess)}=true " +
                    "to run in plain TCP on a network nobody else reaches.");
        }

        if (options.AllowUnauthenticatedClusterAccess)
        {
            return ValidateOptionsResult.Fail(
                $"{S}:{nameof(options.AllowUnauthenticatedClusterAccess)}=true and certificate settings are both given: remove one (with certificates, only holders of the cluster's certificates can connect).");
        }

        foreach (var (setting, path) in new[]
        {
            (nameof(options.CertificatePath), options.CertificatePath),
            (nameof(options.KeyPath), options.KeyPath),
            (nameof(options.CaPath), options.CaPath),
        })
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return ValidateOptionsResult.Fail($"{S}:{setting} is required with the other {S} certificate settings (each process needs its certificate, its key and the cluster CA).");
            }

            if (!File.Exists(path))
            {
                return ValidateOptionsResult.Fail($"{S}:{setting}: no file at '{path}'.");
            }
        }

        try
        {
            using var certificates = ClusterCertificates.Load(options);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail($"{S}: the certificate, key or CA could not be used ({ex.Message}). {S}:{nameof(options.CertificatePath)} and {S}:{nameof(options.KeyPath)} must be a PEM certificate and its unencrypted PEM key, {S}:{nameof(options.CaPath)} a PEM CA certificate.");
        }

        return ValidateOptionsResult.Success;
    }
}
