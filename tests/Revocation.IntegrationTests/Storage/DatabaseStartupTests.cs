using System.Diagnostics;
using Npgsql;
using Revocation.IntegrationTests.Fixtures;
using Revocation.Silo.Storage;

namespace Revocation.IntegrationTests.Storage;

[Collection(WallClockBoundsCollection.Name)]
public sealed class DatabaseStartupTests
{
    [Fact]
    public async Task UnreachableDatabase_IsRetriedForTheStartupTimeoutThenNamedInTheError()
    {
        var options = Databases.Options(
            $"Host=127.0.0.1;Port={TestPorts.Free()};Database=registry;Username=postgres;Password=secret-value",
            TimeSpan.FromSeconds(2));
        await using var dataSource = RegistryDataSourceFactory.Create(options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(20));
        Assert.Contains("Database:StartupTimeout", error.Message);
        Assert.Contains("Host=127.0.0.1", error.Message);
        Assert.DoesNotContain("secret-value", error.Message);
    }

    [Fact]
    public async Task MissingDatabase_FailsAtOnceWithoutRetrying()
    {
        var server = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("startup")) { Database = "no_such_database" };
        var options = Databases.Options(server.ConnectionString, TimeSpan.FromSeconds(30));
        await using var dataSource = RegistryDataSourceFactory.Create(options);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(
            () => Databases.Migrator(dataSource, options).MigrateAsync(CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("no_such_database", error.Message);
        Assert.Contains("ConnectionStrings:Registry", error.Message);
    }
}
