using Npgsql;
using Revocation.Grains.Leases;

namespace Revocation.Silo.Storage;

/// <summary>The lease partition count a cluster runs, as its first silo recorded it (<c>lease_partitions</c>).</summary>
public sealed class LeasePartitionAgreement(DatabaseConnector connector)
{
    // The count recorded, by this statement or an earlier one. DO UPDATE (a no-op on the value) and not
    // DO NOTHING: when silos start together, one's INSERT waits for another's uncommitted row; DO UPDATE
    // then locks that row once committed and RETURNING yields it, whereas a SELECT in the same statement
    // reads a snapshot taken before that commit and finds nothing.
    private const string AgreeSql = """
        INSERT INTO lease_partitions (cluster_id, partitions) VALUES ($1, $2)
        ON CONFLICT ON CONSTRAINT lease_partitions_pk DO UPDATE SET partitions = lease_partitions.partitions
        RETURNING partitions
        """;

    /// <summary>
    /// Records <paramref name="partitions"/> as cluster <paramref name="clusterId"/>'s count unless it
    /// has one; throws, naming the setting, when it has another.
    /// </summary>
    public async Task AgreeAsync(string clusterId, int partitions, CancellationToken cancellationToken)
    {
        await using var connection = await connector.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(AgreeSql, connection)
        {
            Parameters = { new() { Value = clusterId }, new() { Value = partitions } },
        };
        var agreed = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (agreed != partitions)
        {
            throw new InvalidOperationException(
                $"{NodeLeaseOptions.SectionName}:{nameof(NodeLeaseOptions.Partitions)} is {partitions} on this silo, but cluster '{clusterId}' runs {agreed} lease partitions " +
                "(recorded by its first silo in the table lease_partitions). Every silo and API node of a cluster must count the same partitions: " +
                $"set it back to {agreed}, or start the cluster anew under another Orleans:ClusterId (the same on its API nodes).");
        }
    }
}
