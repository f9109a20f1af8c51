using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Revocation.Abstractions;
using Revocation.Grains;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Issuers;

/// <summary>
/// Migration 0009 on a database of before issuer-scoped keys: revocations recorded then — a
/// <c>revoked_tokens</c> row keyed by the bare jti, a subject's not-before in grain storage under
/// the bare sub — belong to <c>Database:LegacyIssuer</c> and still refuse their tokens afterwards;
/// without the setting the migration refuses to run and changes nothing.
/// </summary>
public sealed class IssuerMigrationTests
{
    private const int VersionBefore = 8;

    /// <summary>What the migrator applies on such a database: 0009 and every later one.</summary>
    private static readonly int MigrationsAfter = SchemaMigrator.Embedded.Count - VersionBefore;

    [Fact]
    public async Task RevocationsOfBefore_StayRevokedAfterTheUpgrade_ForTheLegacyIssuerOnly()
    {
        using var tokens = new TestTokens();
        var connectionString = await TestPostgres.CreateDatabaseAsync("issuer_upgrade");
        await Databases.MigrateUpToAsync(connectionString, VersionBefore);
        var oldJti = $"old-{Guid.NewGuid():N}";
        var oldSub = $"old-user-{Guid.NewGuid():N}";
        var notBefore = DateTimeOffset.UtcNow.AddSeconds(-30);
        await WriteOldSchemaRevocationsAsync(connectionString, oldJti, oldSub, notBefore);

        var options = Databases.Options(connectionString);
        await using (var dataSource = RegistryDataSourceFactory.Create(options))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));
            Assert.Contains("Database:LegacyIssuer", refused.Message);
            Assert.Equal(VersionBefore, await TestPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM schema_migrations"));

            Assert.Equal(MigrationsAfter, await Databases.Migrator(dataSource, options, TestTokens.Issuer).MigrateAsync(CancellationToken.None));
        }

        Assert.Equal(TestTokens.Issuer, await TestPostgres.ScalarAsync<string>(connectionString, "SELECT iss FROM revoked_tokens WHERE jti = $1", oldJti));
        await using var silos = await TestSilos.StartOnAsync(1, connectionString);
        await using var api = new ApiFactory(silos, tokens);
        using var http = api.CreateClient();
        var issuedBefore = new Dictionary<string, object?> { ["iat"] = notBefore.AddSeconds(-5).ToUnixTimeSeconds() };
        var issuedAfter = new Dictionary<string, object?> { ["iat"] = notBefore.AddSeconds(5).ToUnixTimeSeconds() };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, tokens.Mint(jti: oldJti)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(http, tokens.Mint(sub: oldSub, overrides: issuedBefore)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, tokens.Mint(sub: oldSub, overrides: issuedAfter)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, tokens.Mint()));

        // Adopted under the new key: still refused once the grain was deactivated and read again.
        Assert.Equal(1L, await TestPostgres.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = $1 AND GrainIdExtensionString = $2", SubjectGrain.StateName, TestKeys.Of(oldSub)));
    }

    [Fact]
    public async Task DatabaseWithoutRevocations_MigratesWithoutTheSetting()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("issuer_upgrade_empty");
        await Databases.MigrateUpToAsync(connectionString, VersionBefore);
        var options = Databases.Options(connectionString);
        await using var dataSource = RegistryDataSourceFactory.Create(options);

        Assert.Equal(MigrationsAfter, await Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));
        Assert.Equal(0L, await TestPostgres.ScalarAsync<long>(connectionString, "SELECT count(*) FROM legacy_issuer"));
    }

    /// <summary>
    /// What a registry of before wrote: the row by hand (its columns then), the not-before through the
    /// silo's own grain storage under the old state name and the grain keyed by the bare sub, on a silo
    /// that does not migrate.
    /// </summary>
    private static async Task WriteOldSchemaRevocationsAsync(string connectionString, string jti, string sub, DateTimeOffset notBefore)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES ($1, now() + interval '1 day', now())", connection);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jti });
            await insert.ExecuteNonQueryAsync();
        }

        await using var old = await TestSilos.StartOnAsync(1, connectionString, settings: new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" });
        var storage = old.SiloServices(0).GetRequiredKeyedService<IGrainStorage>(SubjectGrain.StorageName);
        var subjectType = old.Grains.GetSubjectGrain(TestTokens.Issuer, "type-probe").GetGrainId().Type;
        await storage.WriteStateAsync(
            SubjectGrain.LegacyStateName,
            GrainId.Create(subjectType, sub),
            new GrainState<SubjectRevocationState>(new SubjectRevocationState { NotBefore = notBefore }));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string token)
    {
        using var response = await http.SendAsync(ApiNode.Get("/me", token));
        return response.StatusCode;
    }
}
