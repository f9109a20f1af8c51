namespace Revocation.ProcessCluster;

/// <summary>A failure the command reports as one line (<c>cluster.sh: …</c>) and exit status 1.</summary>
internal sealed class ClusterError(string message) : Exception(message);
