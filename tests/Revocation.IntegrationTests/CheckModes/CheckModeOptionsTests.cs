using Revocation.AspNetCore;

namespace Revocation.IntegrationTests.CheckModes;

/// <summary>The check mode settings are validated at start, with messages that name the settings.</summary>
public sealed class CheckModeOptionsTests
{
    private static string Failure(RevocationCheckOptions options) =>
        new RevocationCheckOptionsValidator().Validate(null, options).FailureMessage ?? "";

    private static RevocationCheckOptions Database(RevocationCheckMode mode = RevocationCheckMode.Database) =>
        new() { Mode = mode, Database = { ConnectionString = "Host=127.0.0.1;Database=registry" } };

    [Theory]
    [InlineData(RevocationCheckMode.Database)]
    [InlineData(RevocationCheckMode.LocalCache)]
    public void CheckSubjectWithDatabaseMode_FailsNamingBothSettings(RevocationCheckMode mode)
    {
        var options = Database(mode);
        options.CheckSubject = true;

        var message = Failure(options);

        Assert.Contains("RevocationCheck:CheckSubject", message);
        Assert.Contains("RevocationCheck:Mode=Grain", message);
        Assert.Contains(mode.ToString(), message);
    }

    [Fact]
    public void CheckSubject_DefaultsOnInGrainModeOnly()
    {
        Assert.True(new RevocationCheckOptions().ChecksSubject);
        Assert.False(Database().ChecksSubject);
        Assert.False(Database(RevocationCheckMode.LocalCache).ChecksSubject);
        Assert.True(Failure(Database()) is "");
    }

    [Fact]
    public void DatabaseModeWithoutConnectionString_FailsNamingTheSetting()
    {
        var message = Failure(new RevocationCheckOptions { Mode = RevocationCheckMode.Database });

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
        var options = Database(RevocationCheckMode.LocalCache);
        options.LocalCache.Ttl = TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture);
        options.LocalCache.SizeLimit = sizeLimit;

        Assert.Matches("RevocationCheck:LocalCache:(Ttl|SizeLimit)", Failure(options));
    }

    [Fact]
    public void UnknownMode_FailsNamingTheSetting() =>
        Assert.Contains("RevocationCheck:Mode", Failure(new RevocationCheckOptions { Mode = (RevocationCheckMode)42 }));

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
