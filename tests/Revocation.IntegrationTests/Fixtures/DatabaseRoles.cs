using Npgsql;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// Login roles that are members of migration 0008's group roles (<c>registry_silo</c>,
/// <c>registry_api</c>), as a deployment makes them. Roles belong to the whole test server: each
/// login gets a fresh name and is dropped on dispose.
/// </summary>
public sealed class DatabaseRoles : IAsyncDisposable
{
    public const string Silo = "registry_silo";
    public const string Api = "registry_api";

    // The group roles exist once any database was migrated; one migration per test run makes sure.
    private static readonly Lazy<Task> GroupsExist = new(async () =>
    {
        await using var migrated = await Databases.MigratedAsync("roles");
    });

    private readonly string _serverConnectionString;
    private readonly List<string> _logins = [];

    public DatabaseRoles(string ownerConnectionString) => _serverConnectionString = ownerConnectionString;

    /// <summary>
    /// The owner's connection string with its user replaced by a new login role that is a member of
    /// <paramref name="group"/> and nothing else.
    /// </summary>
    public async Task<string> LoginAsync(string group)
    {
        await GroupsExist.Value;
        var login = $"test_{group}_{Guid.NewGuid():N}";
        const string Password = "test-password";
        await TestPostgres.ExecuteAsync(_serverConnectionString, $"CREATE ROLE \"{login}\" LOGIN PASSWORD '{Password}' IN ROLE {group}");
        _logins.Add(login);
        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Username = login, Password = Password }.ConnectionString;
    }

    /// <summary>Runs <paramref name="sql"/> as <paramref name="connectionString"/>'s role; the SQLSTATE it failed with, or null.</summary>
    public static async Task<string?> SqlStateOfAsync(string connectionString, string sql)
    {
        try
        {
            await TestPostgres.ExecuteAsync(connectionString, sql);
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var login in _logins)
        {
            // Sessions of the login may still be pooled; PostgreSQL drops a role with sessions open.
            try
            {
                await TestPostgres.ExecuteAsync(_serverConnectionString, $"DROP ROLE IF EXISTS \"{login}\"");
            }
            catch (PostgresException)
            {
                // A login left behind holds nothing; the next run's names are new.
            }
        }
    }
}
