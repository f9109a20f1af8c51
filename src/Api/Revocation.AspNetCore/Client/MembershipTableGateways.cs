using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Revocation.AspNetCore;

/// <summary>
/// The gateways of the registry's active silos, read from the Orleans membership table in the
/// registry database — what Orleans' ADO.NET clustering reads (its <c>GatewaysQueryKey</c> query),
/// without that package, which would bring the silo runtime into every API that uses this library.
/// Status 3 is Orleans' <c>SiloStatus.Active</c>; a silo without a gateway has <c>ProxyPort</c> 0.
/// </summary>
internal sealed class MembershipTableGateways(IOptions<RevocationRegistryClientOptions> options, IOptions<GatewayOptions> gateways) : IGatewayListProvider, IDisposable
{
    private const string Sql = """
        SELECT Address, ProxyPort, Generation
        FROM OrleansMembershipTable
        WHERE DeploymentId = $1 AND Status = 3 AND ProxyPort > 0
        """;

    private readonly Lazy<NpgsqlDataSource> _database = new(() => NpgsqlDataSource.Create(options.Value.ConnectionString!));

    public TimeSpan MaxStaleness => gateways.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public async Task<IList<Uri>> GetGateways()
    {
        await using var command = _database.Value.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.ClusterId });
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<Uri>();
        while (await reader.ReadAsync())
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1));
            found.Add(SiloAddress.New(endpoint, reader.GetInt32(2)).ToGatewayUri());
        }

        return found;
    }

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }
    }
}
