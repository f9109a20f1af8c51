using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Revocation.Api.CheckModes;
using Revocation.AspNetCore;

namespace Revocation.IntegrationTests.CheckModes;

/// <summary>
/// The check mode settings of the registry's API host are validated at start, with messages that
/// name the settings; the package's own settings then ask neither subjects nor sessions.
/// </summary>
public sealed class CheckModeOptionsTests
{
    private static string Failure(CheckModeOptions options) =>
        new CheckModeOptionsValidator().Validate(null, options).FailureMessage ?? "";

    private static CheckModeOptions Database(CheckMode mode = CheckMode.Database) =>
        new() { Mode = mode, Database = { ConnectionString = "Host=127.0.0.1;Database=registry" } };

    [Theory]
    [InlineData(CheckMode.Database)]
    [InlineData(CheckMode.LocalCache)]
    public void CheckSubjectWithDatabaseMode_FailsNamingBothSettings(CheckMode mode)
    {
        var validator = new CheckSubjectNeedsGrainValidator(Options.Create(Database(mode)));

        var message = validator.Validate(null, new RevocationCheckOptions { CheckSubject = true }).FailureMessage ?? "";

        Assert.Contains("RevocationCheck:CheckSubject", message);
        Assert.Contains("RevocationCheck:Mode=Grain", message);
        Assert.Contains(mode.ToString(), message);
        Assert.True(validator.Validate(null, new RevocationCheckOptions()).Succeeded);
        Assert.True(new CheckSubjectNeedsGrainValidator(Options.Create(new CheckModeOptions()))
            .Validate(null, new RevocationCheckOptions { CheckSubject = true }).Succeeded);
    }

    [Fact]
    public void CheckSubject_DefaultsOnWhereTheRegistryIsAsked_AndSubjectsAndSessionsAreOffOtherwise()
    {
        Assert.True(new RevocationCheckOptions().ChecksSubject);
        Assert.True(new RevocationCheckOptions().ChecksSession);
        var comparison = new RevocationCheckOptions { AsksRegistry = false };
        Assert.False(comparison.ChecksSubject);
        Assert.False(comparison.ChecksSession);
        Assert.False(comparison.UsesNearCache);
        Assert.True(Failure(Database()) is "");
        Assert.True(Failure(Database(CheckMode.LocalCache)) is "");
    }

    [Theory]
    [InlineData("Grain", true)]
    [InlineData("Database", false)]
    [InlineData("LocalCache", false)]
    public async Task TheHostsMode_DecidesWhetherThePackageAsksTheRegistry(string mode, bool asksRegistry)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RevocationCheck:Mode"] = mode,
            ["ConnectionStrings:Registry"] = "Host=127.0.0.1;Database=registry",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddAuthentication().AddJwtBearer().AddRevocationCheck();
        services.AddCheckModes(configuration);
        await using var provider = services.BuildServiceProvider();

        var check = provider.GetRequiredService<IOptions<RevocationCheckOptions>>().Value;

        Assert.Equal(asksRegistry, check.AsksRegistry);
        Assert.Equal(asksRegistry, check.ChecksSubject);
        Assert.Equal(mode == "Grain" ? "near_cache" : mode == "Database" ? "database" : "local_cache",
            provider.GetRequiredService<Revocation.AspNetCore.Lookups.IRevocationLookup>().Mode);
        Assert.Equal("Host=127.0.0.1;Database=registry", provider.GetRequiredService<IOptions<CheckModeOptions>>().Value.Database.ConnectionString);
    }

    [Fact]
    public void DatabaseModeWithoutConnectionString_FailsNamingTheSetting()
    {
        var message = Failure(new CheckModeOptions { Mode = CheckMode.Database });

        Assert.Contains("RevocationCheck:Database:ConnectionString", message);
        Assert.Contains("ConnectionStrings:Registry", message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public void PoolSizeOutOfRange_FailsNamingTheSetting(int size)
    {
        var options = Database();
        options.Database.MaxPoolSize = size;

        Assert.Contains("RevocationCheck:Database:MaxPoolSize", Failure(options));
    }

    [Theory]
    [InlineData("00:00:00", 10)]
    [InlineData("02:00:00", 10)]
    [InlineData("00:01:00", 0)]
    public void LocalCacheLimits_AreValidated(string ttl, int sizeLimit)
    {
        var options = Database(CheckMode.LocalCache);
        options.LocalCache.Ttl = TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture);
        options.LocalCache.SizeLimit = sizeLimit;

        Assert.Matches("RevocationCheck:LocalCache:(Ttl|SizeLimit)", Failure(options));
    }

    [Fact]
    public void UnknownMode_FailsNamingTheSetting() =>
        Assert.Contains("RevocationCheck:Mode", Failure(new CheckModeOptions { Mode = (CheckMode)42 }));

    [Fact]
    public async Task ApiNode_RefusesToStartWithSubjectCheckInDatabaseMode()
    {
        using var tokens = new TestTokens();
        await using var silos = await TestSilos.StartAsync(1, "mode_invalid");
        await using var api = new ApiFactory(silos, tokens, new Dictionary<string, string?>
        {
            ["RevocationCheck:Mode"] = "Database",
            ["RevocationCheck:CheckSubject"] = "true",
        });

        var error = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains("RevocationCheck:CheckSubject", error.ToString());
    }
}
