namespace Revocation.AppHost;

internal static class DevelopmentNode
{
    /// <summary>What every silo and API node of the AppHost shares: Development, the database, the cluster, no cluster TLS.</summary>
    public static IResourceBuilder<ExecutableResource> WithDevelopmentNode(
        this IResourceBuilder<ExecutableResource> node, AppHostSettings settings, string clusterId) => node
        .WithEnvironment("DOTNET_ENVIRONMENT", "Development")
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development")
        .WithEnvironment("ConnectionStrings__Registry", settings.ConnectionString)
        .WithEnvironment("Orleans__ClusterId", clusterId)
        .WithEnvironment("ClusterTls__AllowUnauthenticatedClusterAccess", "true");

    /// <summary>
    /// The node's HTTP endpoint on 127.0.0.1:<paramref name="port"/>, given on its command line as
    /// scripts/cluster.sh does: the programs' appsettings name a URL of their own (<c>urls</c>),
    /// which would win over the <c>ASPNETCORE_URLS</c> Aspire sets.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> WithListeningUrl(this IResourceBuilder<ExecutableResource> node, int port) => node
        .WithHttpEndpoint(port: port, isProxied: false)
        .WithArgs("--urls", "http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
