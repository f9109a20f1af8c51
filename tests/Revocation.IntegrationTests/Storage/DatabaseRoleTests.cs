using Revocation.Silo.Clustering;
using System.Net;
using Npgsql;
using Revocation.Abstractions;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Hosting;
using Revocation.Silo.Rejuvenation;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Storage;

/// <summary>
/// Migration 0008's least-privilege roles, used through login roles that are their members, as a
/// deployment does: the silos' role does everything a silo does and cannot change the schema; the
/// API nodes' role reads the gateway list and revoked_tokens and nothing else.
/// </summary>
public sealed class DatabaseRoleTests
{
    private const string InsufficientPrivilege = PostgresErrorCodes.InsufficientPrivilege;

    [Fact]
    public async Task ApiRole_ReadsGatewaysAndRevokedTokens_AndCannotWriteThemOrReadGrainState()
    {
        await using var owner = await Databases.MigratedAsync("roles_api");
        await using var roles = new DatabaseRoles(owner.ConnectionString);
        var api = await roles.LoginAsync(DatabaseRoles.Api);

        Assert.Null(await DatabaseRoles.SqlStateOfAsync(api, "SELECT jti FROM revoked_tokens WHERE jti = 'x'"));
        Assert.Null(await DatabaseRoles.SqlStateOfAsync(api, "SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable"));
        Assert.Null(await DatabaseRoles.SqlStateOfAsync(api, "SELECT QueryKey, QueryText FROM OrleansQuery"));

        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) VALUES ('test-issuer', 'forged', now() + interval '1 day', now())"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "UPDATE revoked_tokens SET expires_at = now()"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "DELETE FROM revoked_tokens"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "SELECT PayloadBinary FROM OrleansStorage"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "SELECT GrainId FROM OrleansRemindersTable"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "DELETE FROM OrleansMembershipTable"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "UPDATE OrleansQuery SET QueryText = 'SELECT 1'"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(api, "CREATE TABLE api_made (id int)"));
    }

    [Fact]
    public async Task SiloRole_CannotChangeTheSchema_AndTheMigratorSaysWhichSettingToUse()
    {
        await using var owner = await Databases.MigratedAsync("roles_ddl");
        await using var roles = new DatabaseRoles(owner.ConnectionString);
        var silo = await roles.LoginAsync(DatabaseRoles.Silo);

        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(silo, "CREATE TABLE silo_made (id int)"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(silo, "ALTER TABLE revoked_tokens ADD COLUMN extra text"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(silo, "DROP TABLE revoked_tokens"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(silo, "TRUNCATE revoked_tokens"));
        Assert.Equal(InsufficientPrivilege, await DatabaseRoles.SqlStateOfAsync(silo, "GRANT SELECT ON schema_migrations TO registry_silo"));

        var options = Databases.Options(silo);
        await using var dataSource = RegistryDataSourceFactory.Create(options);
        var refused = await Assert.ThrowsAsync<SchemaChangeRefusedException>(() => Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));
        Assert.Contains("ConnectionStrings:RegistryMigrations", refused.Message);
        Assert.Contains("Database:MigrateOnStart=false", refused.Message);
    }

    [Fact]
    public async Task SilosServingWithTheSiloRole_MigrateAsOwner_AndDoEverythingASiloDoes_WhileAnApiNodeReadsGatewaysWithTheApiRole()
    {
        var ownerConnection = await TestPostgres.CreateDatabaseAsync("roles_serve");
        await using var roles = new DatabaseRoles(ownerConnection);
        var silo = await roles.LoginAsync(DatabaseRoles.Silo);
        var api = await roles.LoginAsync(DatabaseRoles.Api);
        // The database is fresh: the silos' start migrates it through ConnectionStrings:RegistryMigrations.
        // Two silos: membership, reminders (the sweeper's), the lease partition count, all as the silo role.
        await using var silos = await TestSilos.StartOnAsync(2, silo, ClusterProvider.AdoNet, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:RegistryMigrations"] = ownerConnection,
        });
        Assert.Equal(SchemaMigrator.Embedded.Count, await TestPostgres.ScalarAsync<long>(ownerConnection, "SELECT count(*) FROM schema_migrations"));

        // Token grains read and write revoked_tokens; subject grains write grain state.
        var jti = $"roles-{Guid.NewGuid():N}";
        await silos.Grains.GetGrain<ITokenGrain>(TestKeys.Of(jti)).RevokeAsync(DateTimeOffset.UtcNow.AddHours(1), "roles");
        await silos.Grains.GetGrain<ITokenGrain>(TestKeys.Of(jti)).EvictAsync();
        Assert.True(await silos.Grains.GetGrain<ITokenGrain>(TestKeys.Of(jti)).IsRevokedAsync());
        await silos.Grains.GetGrain<ISubjectGrain>(TestKeys.Of($"sub-{jti}")).RevokeAllAsync(DateTimeOffset.UtcNow);
        Assert.True(await TestPostgres.ScalarAsync<long>(ownerConnection, "SELECT count(*) FROM OrleansStorage") >= 1);

        // The sweeper deletes expired rows and records its run.
        await TestPostgres.ExecuteAsync(ownerConnection,
            "INSERT INTO revoked_tokens (iss, jti, expires_at, revoked_at) VALUES ('test-issuer', 'expired', now() - interval '1 day', now() - interval '2 days')");
        var sweep = await silos.Grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).RunAsync();
        Assert.Null(sweep.Error);
        Assert.Equal(1, sweep.RowsDeleted);
        Assert.Equal(1, await TestPostgres.ScalarAsync<long>(ownerConnection, "SELECT count(*) FROM sweeper_state"));
        Assert.True(await TestPostgres.ScalarAsync<long>(ownerConnection, "SELECT count(*) FROM OrleansRemindersTable") >= 1);
        Assert.Equal(1, await TestPostgres.ScalarAsync<long>(ownerConnection, "SELECT count(*) FROM lease_partitions"));

        // Rejuvenation's turns.
        await using (var siloDataSource = RegistryDataSourceFactory.Create(silo))
        {
            var turns = new PostgresRecycleTurns(siloDataSource);
            var holder = new RecycleHolder("10.0.0.9", 11111, 1);
            var answer = await turns.TryTakeAsync(silos.ClusterId, holder, "max_lifetime", 1, 0, TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.True(answer.Granted);
            var (released, _) = await turns.ReturnAsync(silos.ClusterId, holder with { Generation = 2 }, CancellationToken.None);
            Assert.Equal(1, released);
        }

        // An API node on the API role finds the gateways in the membership table and refuses the revoked token.
        using var tokens = new TestTokens();
        await using var node = new ApiFactory(silos, tokens, new Dictionary<string, string?> { ["ConnectionStrings:Registry"] = api });
        using var http = node.CreateClient();
        var token = tokens.Mint();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), async () =>
        {
            using var me = await http.SendAsync(ApiNode.Get("/me", token));
            return me.StatusCode == HttpStatusCode.OK;
        });
        using (var logout = await http.SendAsync(ApiNode.Post("/auth/logout", token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var after = await http.SendAsync(ApiNode.Get("/me", token));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task EveryTableButTheMigrationHistory_IsGrantedToTheSiloRole()
    {
        await using var owner = await Databases.MigratedAsync("roles_grants");

        var ungranted = await TestPostgres.ScalarAsync<string>(owner.ConnectionString, """
            SELECT coalesce(string_agg(c.relname, ', ' ORDER BY c.relname), '')
            FROM pg_class c
            WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
              AND c.relname <> 'schema_migrations'
              AND NOT has_table_privilege('registry_silo', c.oid, 'SELECT')
            """);

        Assert.True(ungranted == "", $"Tables the silos' role cannot read (a migration that adds a table grants on it, as 0008 does): {ungranted}");
        Assert.False(await TestPostgres.ScalarAsync<bool>(owner.ConnectionString, "SELECT has_table_privilege('registry_silo', 'schema_migrations', 'SELECT')"));
        Assert.False(await TestPostgres.ScalarAsync<bool>(owner.ConnectionString, "SELECT has_table_privilege('registry_api', 'OrleansStorage', 'SELECT')"));
    }
}
