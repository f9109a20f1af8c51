using Revocation.Abstractions;
using Revocation.AspNetCore;
using Revocation.AspNetCore.Lookups;
using Npgsql;
using NpgsqlTypes;

namespace Revocation.Api.CheckModes;

/// <summary>
/// <see cref="CheckMode.Database"/>: one query against <c>revoked_tokens</c> per check, by (iss, jti),
/// as Airflow 3.2's <c>RevokedToken.is_revoked</c> does. A row counts while it is present (the
/// sweeper deletes it only after the token has expired).
/// </summary>
internal sealed class DatabaseLookup(
    CheckDataSource dataSource, CheckModeMetrics metrics, RevocationCheckSettings settings) : IRevocationLookup
{
    // No literal in the text: pg_stat_statements then shows it as written.
    private const string Sql = "SELECT jti FROM revoked_tokens WHERE iss = $1 AND jti = $2";

    public string Mode => "database";

    public async Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken) =>
        await IsRevokedAsync(token.TokenKey, Mode, cancellationToken) ? LookupResult.RevokedByJti : LookupResult.NotRevoked;

    /// <summary>The query itself, counted under <paramref name="mode"/>.</summary>
    public async Task<bool> IsRevokedAsync(IssuerKey token, string mode, CancellationToken cancellationToken)
    {
        metrics.DatabaseQuery(mode);

        // The check stops waiting at its timeout; this also gives the pooled connection back
        // (or stops waiting for one) instead of leaving the query running.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Current.Timeout);
        await using var command = dataSource.Value.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = token.Issuer, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = token.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(deadline.Token) is not null;
    }

    public void Revoked(IssuerKey token)
    {
        // Nothing is held here: the next query sees the row.
    }
}
