using Microsoft.Extensions.Options;
using Npgsql;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>
/// Reads migration 0009's <c>legacy_issuer</c> once per silo, bounded by
/// <see cref="RegistryDatabaseOptions.CommandTimeout"/>; a failed read is tried again by the next
/// caller (the subject grain's activation fails meanwhile, so its check fails per its policy).
/// </summary>
public sealed class PostgresLegacySubjects(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options) : ILegacySubjects
{
    private readonly object _gate = new();
    private Task<string?>? _issuer;

    public Task<string?> IssuerAsync()
    {
        lock (_gate)
        {
            if (_issuer is null || _issuer.IsFaulted || _issuer.IsCanceled)
            {
                _issuer = ReadAsync();
            }

            return _issuer;
        }
    }

    private async Task<string?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(options.Value.CommandTimeout);
        await using var command = dataSource.CreateCommand("SELECT iss FROM legacy_issuer");
        return await command.ExecuteScalarAsync(timeout.Token) as string;
    }
}
