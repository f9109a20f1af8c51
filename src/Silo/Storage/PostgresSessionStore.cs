using Microsoft.Extensions.Options;
using Npgsql;
using Revocation.Grains;

namespace Revocation.Silo.Storage;

/// <summary>The <c>revoked_sessions</c> table (migration 0010), keyed by (<c>iss</c>, <c>sid</c>), with the group commit of the token store.</summary>
public sealed class PostgresSessionStore(NpgsqlDataSource dataSource, IOptions<RegistryDatabaseOptions> options)
    : PostgresRevocationStore(dataSource, options, "revoked_sessions", "sid"), ISessionRevocationStore;
