namespace Revocation.ProcessCluster;

/// <summary>What <c>up</c> decided for a cluster and every later command reads: its database, its id, whether it runs TLS.</summary>
internal sealed record ClusterState(string Connection, string ClusterId, bool Tls)
{
    public static ClusterState Load(ClusterLayout layout)
    {
        var connection = Path.Combine(layout.Directory, "connection");
        var clusterId = Path.Combine(layout.Directory, "cluster-id");
        if (!File.Exists(connection) || !File.Exists(clusterId))
        {
            throw new ClusterError($"no cluster is up in {layout.Directory}");
        }

        var tls = Path.Combine(layout.Directory, "tls-mode");
        return new ClusterState(
            File.ReadAllText(connection).Trim(),
            File.ReadAllText(clusterId).Trim(),
            File.Exists(tls) && File.ReadAllText(tls).Trim() == "on");
    }

    public void Save(ClusterLayout layout)
    {
        File.WriteAllText(Path.Combine(layout.Directory, "tls-mode"), Tls ? "on\n" : "off\n");
        File.WriteAllText(Path.Combine(layout.Directory, "connection"), Connection + "\n");
        File.WriteAllText(Path.Combine(layout.Directory, "cluster-id"), ClusterId + "\n");
    }

    /// <summary>The ClusterTls settings of a silo or an API node: its certificate of the cluster CA, or plain TCP.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> TlsSettings(ClusterLayout layout, string role) => Tls
        ?
        [
            new("ClusterTls__CertificatePath", Path.Combine(layout.TlsDirectory, $"{role}.crt")),
            new("ClusterTls__KeyPath", Path.Combine(layout.TlsDirectory, $"{role}.key")),
            new("ClusterTls__CaPath", Path.Combine(layout.TlsDirectory, "ca.crt")),
        ]
        : [new("ClusterTls__AllowUnauthenticatedClusterAccess", "true")];
}
