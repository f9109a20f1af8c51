using Npgsql;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Every table of a database — the registry's own and those of Orleans' providers, found in the
/// catalog rather than listed, so that a table added later is covered too — with its row count
/// and a digest of its rows, to show that an action changed no table.
/// </summary>
public sealed class TableContents
{
    private readonly SortedDictionary<string, string> _digests;

    private TableContents(SortedDictionary<string, string> digests) => _digests = digests;

    public static async Task<TableContents> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(tables);
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var digest = new NpgsqlCommand(
                $"SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM {table} t", connection);
            digests[table] = (string)(await digest.ExecuteScalarAsync())!;
        }

        return new TableContents(digests);
    }

    /// <summary>The tables that differ from <paramref name="before"/>, each with its two digests.</summary>
    public IReadOnlyList<string> ChangedSince(TableContents before) =>
    [
        .. _digests.Keys.Union(before._digests.Keys)
            .Where(table => before._digests.GetValueOrDefault(table) != _digests.GetValueOrDefault(table))
            .Select(table => $"{table}: {before._digests.GetValueOrDefault(table) ?? "absent"} -> {_digests.GetValueOrDefault(table) ?? "absent"}"),
    ];
}
