using Microsoft.Extensions.Options;
using Npgsql;

namespace Revocation.Silo.Storage;

/// <summary>Refuses a missing or unparsable connection string at startup, naming the setting.</summary>
public sealed class RegistryDatabaseOptionsValidator : IValidateOptions<RegistryDatabaseOptions>
{
    private const string Setting = $"ConnectionStrings:{RegistryDatabaseOptions.ConnectionStringName}";
    private const string MigrationsSetting = $"ConnectionStrings:{RegistryDatabaseOptions.MigrationsConnectionStringName}";

    public ValidateOptionsResult Validate(string? name, RegistryDatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{Setting} is not set. Set it in appsettings.json or in the environment variable ConnectionStrings__{RegistryDatabaseOptions.ConnectionStringName}.");
        }

        if (Unparsable(options.ConnectionString, Setting) is { } invalid)
        {
            return invalid;
        }

        if (options.LegacyIssuer is not null && Revocation.Abstractions.TokenInput.CheckIssuer(options.LegacyIssuer) is { } issuerError)
        {
            return ValidateOptionsResult.Fail($"{RegistryDatabaseOptions.SectionName}:{nameof(RegistryDatabaseOptions.LegacyIssuer)} is not a valid issuer: {issuerError}");
        }

        if (options.MigrationsConnectionString is not null
            && Unparsable(options.MigrationsConnectionString, MigrationsSetting) is { } invalidMigrations)
        {
            return invalidMigrations;
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail(
                $"{RegistryDatabaseOptions.SectionName}:{nameof(options.StartupTimeout)} must be positive (was {options.StartupTimeout}).");
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.CommandTimeout > RegistryDatabaseOptions.MaxCommandTimeout)
        {
            return ValidateOptionsResult.Fail(
                $"{RegistryDatabaseOptions.SectionName}:{nameof(options.CommandTimeout)} must be positive and at most {RegistryDatabaseOptions.MaxCommandTimeout} (was {options.CommandTimeout}).");
        }

        if (options.MaxRowsPerStatement is < 1 or > RegistryDatabaseOptions.MaxRowsPerStatementLimit)
        {
            return ValidateOptionsResult.Fail(
                $"{RegistryDatabaseOptions.SectionName}:{nameof(options.MaxRowsPerStatement)} must be from 1 to {RegistryDatabaseOptions.MaxRowsPerStatementLimit} (was {options.MaxRowsPerStatement}).");
        }

        if (options.StatementsInFlight is < 1 or > RegistryDatabaseOptions.StatementsInFlightLimit)
        {
            return ValidateOptionsResult.Fail(
                $"{RegistryDatabaseOptions.SectionName}:{nameof(options.StatementsInFlight)} must be from 1 to {RegistryDatabaseOptions.StatementsInFlightLimit} (was {options.StatementsInFlight}).");
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult? Unparsable(string connectionString, string setting)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException ex)
        {
            // The value itself may hold a password: name the setting, not the value.
            return ValidateOptionsResult.Fail($"{setting} is not a valid Npgsql connection string: {ex.Message}");
        }
    }
}
