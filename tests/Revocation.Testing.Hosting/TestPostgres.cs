using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Revocation.Testing.Hosting;

/// <summary>
/// The throwaway PostgreSQL of <c>scripts/postgres.sh</c>, started on first use if it is not
/// running. Each caller gets a database of its own. A server that cannot be started fails the
/// tests that need it; they are never skipped.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> ServerConnectionString = new(StartServer, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's own connection string (its <c>postgres</c> database), the server started if need be.</summary>
    public static string ServerUrl => ServerConnectionString.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        // The creating process is in the name: a later run drops only the databases of runs that
        // have ended (see DropLeftoverDatabases). Names end at 63 bytes: the purpose stays short.
        var name = $"test_{purpose}_{OwnerMark}{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..16]}".ToLowerInvariant();
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString.Value);
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        server.Database = name;

        // Hundreds of short-lived hosts share one server during a run: a pool whose host is gone
        // must not keep its connections for Npgsql's default 5 minutes (the server's
        // max_connections ran out in a full run). Idle connections close after 10 s.
        server.ConnectionIdleLifetime = 10;
        server.ConnectionPruningInterval = 5;
        return server.ConnectionString;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    private static string StartServer()
    {
        var script = RepoPaths.Script("postgres.sh");
        Run(script, "start");
        var connectionString = Run(script, "url").Trim();
        DropLeftoverDatabases(connectionString);
        return connectionString;
    }

    /// <summary>Marks the creating process's id in a database name.</summary>
    private const string OwnerMark = "p";

    /// <summary>
    /// Earlier runs' databases, dropped when the server is first used. One whose creating process
    /// still runs (a concurrent run: an IDE next to scripts/test.sh) is left alone, even between its
    /// connections; one in use is too.
    /// </summary>
    public static void DropLeftoverDatabases(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        var names = new List<string>();
        using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'", connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(name => !OwnerRuns(name)))
        {
            try
            {
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", connection);
                drop.ExecuteNonQuery();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
            }
        }
    }

    /// <summary>Whether the process that created database <paramref name="name"/> still runs (names of older runs carry none).</summary>
    private static bool OwnerRuns(string name)
    {
        var match = Regex.Match(name, $"_{OwnerMark}(?<pid>[0-9]+)_[0-9a-f]{{16}}$");
        if (!match.Success || !int.TryParse(match.Groups["pid"].Value, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
    }

    public static string Run(string script, string verb, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} {verb} did not finish within 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{script} {verb} failed with exit code {process.ExitCode}; PostgreSQL tests cannot run without it.\n{stdout.Result}\n{stderr.Result}");
        }

        return stdout.Result;
    }
}
