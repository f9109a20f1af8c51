using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Revocation.Grains;
using Revocation.Silo.Hosting;
using Revocation.Silo.Storage;

namespace Revocation.UnitTests.Settings;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void MissingConnectionString_IsNamedInTheError(string? connectionString)
    {
        var result = new RegistryDatabaseOptionsValidator().Validate(null, new RegistryDatabaseOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings:Registry is not set", result.FailureMessage);
        Assert.Contains("ConnectionStrings__Registry", result.FailureMessage);
    }

    [Fact]
    public void MalformedConnectionString_IsNamedWithoutEchoingIt()
    {
        var result = new RegistryDatabaseOptionsValidator().Validate(null,
            new RegistryDatabaseOptions { ConnectionString = "Password=hunter2;Bogus Key=1" });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings:Registry is not a valid", result.FailureMessage);
        Assert.DoesNotContain("hunter2", result.FailureMessage);
    }

    [Fact]
    public void MalformedMigrationsConnectionString_IsNamedWithoutEchoingIt()
    {
        var result = new RegistryDatabaseOptionsValidator().Validate(null,
            new RegistryDatabaseOptions { ConnectionString = "Host=localhost", MigrationsConnectionString = "Password=hunter2;Bogus Key=1" });

        Assert.True(result.Failed);
        Assert.Contains("ConnectionStrings:RegistryMigrations is not a valid", result.FailureMessage);
        Assert.DoesNotContain("hunter2", result.FailureMessage);
    }

    [Fact]
    public void NonPositiveStartupTimeout_IsRefused()
    {
        var result = new RegistryDatabaseOptionsValidator().Validate(null,
            new RegistryDatabaseOptions { ConnectionString = "Host=localhost", StartupTimeout = TimeSpan.Zero });

        Assert.Contains("Database:StartupTimeout", result.FailureMessage);
    }

    [Fact]
    public void Defaults_AreValid()
    {
        var options = new TokenGrainOptions();

        Assert.True(new TokenGrainOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(10), options.NotRevokedMaxAge);
        Assert.True(options.CachingEnabled);
    }

    [Fact]
    public void CollectionAgeUnderOneMinute_IsRefused()
    {
        var result = new TokenGrainOptionsValidator().Validate(null, new TokenGrainOptions { CollectionAge = TimeSpan.FromSeconds(30) });

        Assert.Contains("TokenGrain:CollectionAge must be at least 00:01:00", result.FailureMessage);
    }

    [Fact]
    public void SweepPeriodUnderOrleansMinimumReminderPeriod_IsRefused_UnlessTheMinimumIsLowered()
    {
        var period = new SweeperOptions { Period = TimeSpan.FromSeconds(15) };

        var byDefault = new SweeperOptionsValidator().Validate(null, period);
        var lowered = new SweeperOptionsValidator(Options.Create(new ReminderOptions { MinimumReminderPeriod = TimeSpan.FromSeconds(10) })).Validate(null, period);

        Assert.Contains("Sweeper:Period must be at least 00:01:00, Orleans' minimum reminder period (Reminders:MinimumReminderPeriod)", byDefault.FailureMessage);
        Assert.True(lowered.Succeeded, lowered.FailureMessage);
    }

    [Fact]
    public void SubjectCollectionAgeUnderOneMinute_IsRefused()
    {
        var result = new SubjectRevocationOptionsValidator().Validate(null, new SubjectRevocationOptions { CollectionAge = TimeSpan.FromSeconds(30) });

        Assert.Contains("SubjectRevocation:CollectionAge must be at least 00:01:00", result.FailureMessage);
    }

    [Fact]
    public void TokenSubjectAndSessionGrains_AreCollectedAfterTheirOwnAges()
    {
        var collection = new GrainCollectionOptions();

        GrainCollectionSettings.Apply(
            collection,
            new TokenGrainOptions { CollectionAge = TimeSpan.FromMinutes(2) },
            new SubjectRevocationOptions { CollectionAge = TimeSpan.FromMinutes(7) },
            new SessionRevocationOptions { CollectionAge = TimeSpan.FromMinutes(3) });

        Assert.Equal(TimeSpan.FromMinutes(2), collection.ClassSpecificCollectionAge[typeof(TokenGrain).FullName!]);
        Assert.Equal(TimeSpan.FromMinutes(7), collection.ClassSpecificCollectionAge[typeof(SubjectGrain).FullName!]);
        Assert.Equal(TimeSpan.FromMinutes(3), collection.ClassSpecificCollectionAge[typeof(SessionGrain).FullName!]);
    }

    [Fact]
    public void NegativeMaxAge_IsRefused_AndZeroSwitchesCachingOff()
    {
        var negative = new TokenGrainOptionsValidator().Validate(null, new TokenGrainOptions { NotRevokedMaxAge = TimeSpan.FromSeconds(-1) });
        var zero = new TokenGrainOptions { NotRevokedMaxAge = TimeSpan.Zero };

        Assert.Contains("TokenGrain:NotRevokedMaxAge", negative.FailureMessage);
        Assert.True(new TokenGrainOptionsValidator().Validate(null, zero).Succeeded);
        Assert.False(zero.CachingEnabled);
    }

    [Fact]
    public void NegativeActivationCap_IsRefused_AndZeroSwitchesItOff()
    {
        var negative = new TokenGrainOptionsValidator().Validate(null, new TokenGrainOptions { MaxActivationsPerSilo = -1 });

        Assert.Contains("TokenGrain:MaxActivationsPerSilo must be zero (no cap) or positive (was -1)", negative.FailureMessage);
        Assert.True(new TokenGrainOptionsValidator().Validate(null, new TokenGrainOptions { MaxActivationsPerSilo = 0 }).Succeeded);
        Assert.Equal(100_000, new TokenGrainOptions().MaxActivationsPerSilo);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:31")]
    public void CommandTimeoutOutsideItsRange_IsRefusedNamingTheSetting(string timeout)
    {
        var result = new RegistryDatabaseOptionsValidator().Validate(null,
            new RegistryDatabaseOptions { ConnectionString = "Host=localhost", CommandTimeout = TimeSpan.Parse(timeout) });

        Assert.Contains("Database:CommandTimeout must be positive and at most 00:00:30", result.FailureMessage);
    }

    [Fact]
    public void CommandTimeoutDefault_IsBelowTheApiCheckTimeout()
    {
        // RevocationCheck:Timeout (2 s): a grain activating on a hung database fails before the check gives up.
        Assert.True(new RegistryDatabaseOptions().CommandTimeout < TimeSpan.FromSeconds(2));
        Assert.True(new RegistryDatabaseOptionsValidator().Validate(null, new RegistryDatabaseOptions { ConnectionString = "Host=localhost" }).Succeeded);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:01:00")]
    public void SweepBatchTimeoutOutsideItsRange_IsRefusedNamingTheSetting(string timeout)
    {
        var result = new SweeperOptionsValidator().Validate(null, new SweeperOptions { BatchTimeout = TimeSpan.Parse(timeout) });

        Assert.Contains("Sweeper:BatchTimeout must be positive and at most 00:00:30", result.FailureMessage);
    }
}
