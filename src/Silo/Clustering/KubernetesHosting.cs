using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Revocation.Silo.Clustering;

/// <summary>
/// Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes), opt-in with
/// <c>Kubernetes:Enabled=true</c> (deploy/kubernetes sets it): the pod name (<c>POD_NAME</c>)
/// becomes the silo name, the pod IP (<c>POD_IP</c>) is advertised, the silo listens on every
/// interface, and up to two silos watch the cluster's pods in <c>POD_NAMESPACE</c>: a silo whose pod
/// is deleted is declared dead at once rather than after missed probes. The pods' service account
/// needs get, list, watch and patch on pods (the agent labels its own pod). Membership stays in
/// PostgreSQL (ADO.NET clustering). Off (the default) registers nothing.
/// </summary>
public static class KubernetesHosting
{
    /// <summary>The setting that turns Kubernetes hosting on. The default is false.</summary>
    public const string EnabledSetting = "Kubernetes:Enabled";

    /// <exception cref="OptionsValidationException">A setting contradicts Kubernetes hosting; the message names it.</exception>
    public static ISiloBuilder UseKubernetesHostingWhenEnabled(this ISiloBuilder silo, IConfiguration configuration)
    {
        var enabled = configuration[EnabledSetting];
        if (string.IsNullOrWhiteSpace(enabled))
        {
            return silo;
        }

        if (!bool.TryParse(enabled, out var on))
        {
            throw Invalid(EnabledSetting, $"{EnabledSetting} must be true or false (was '{enabled}').");
        }

        if (!on)
        {
            return silo;
        }

        // An address set here would win over the pod IP, and appsettings.json's 127.0.0.1 is
        // unreachable from other pods.
        const string Advertised = $"{RegistryClusterOptions.SectionName}:{nameof(RegistryClusterOptions.AdvertisedAddress)}";
        if (configuration[Advertised] is { } address && !string.IsNullOrWhiteSpace(address))
        {
            throw Invalid(Advertised, $"{Advertised} must be empty with {EnabledSetting}=true: the pod IP (POD_IP) is advertised (was '{address}').");
        }

        return silo.UseKubernetesHosting();
    }

    private static OptionsValidationException Invalid(string setting, string failure) =>
        new(setting, typeof(KubernetesHosting), [failure]);
}
