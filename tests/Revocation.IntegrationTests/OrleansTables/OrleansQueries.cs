using Npgsql;

namespace Revocation.IntegrationTests.OrleansTables;

/// <summary>
/// Runs the query texts stored in OrleansQuery the way Orleans' ADO.NET providers do: looked up by
/// key, with named <c>@Parameters</c> of the types the providers bind.
/// </summary>
internal sealed class OrleansQueries(NpgsqlDataSource dataSource)
{
    public async Task<string> TextAsync(string key)
    {
        await using var command = dataSource.CreateCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = $1");
        command.Parameters.AddWithValue(key);
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No query {key}.");
    }

    public async Task<List<Dictionary<string, object?>>> ReadAsync(string key, object parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = await CommandAsync(connection, key, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A query whose result is one integer (the providers' success flag or new version).</summary>
    public async Task<int> ScalarAsync(string key, object parameters)
    {
        var rows = await ReadAsync(key, parameters);
        var row = Assert.Single(rows);
        return Convert.ToInt32(Assert.Single(row).Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string key, object parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = await CommandAsync(connection, key, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlCommand> CommandAsync(NpgsqlConnection connection, string key, object parameters)
    {
        var command = new NpgsqlCommand(await TextAsync(key), connection);
        foreach (var property in parameters.GetType().GetProperties())
        {
            command.Parameters.AddWithValue(property.Name, property.GetValue(parameters) ?? DBNull.Value);
        }

        return command;
    }
}
