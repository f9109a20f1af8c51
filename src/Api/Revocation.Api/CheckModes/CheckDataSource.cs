using Microsoft.Extensions.Options;
using Npgsql;

namespace Revocation.Api.CheckModes;

/// <summary>
/// The comparison modes' own Npgsql pool on the registry database, built on first use from
/// <see cref="DatabaseCheckOptions"/> (never shared with other code, so its size is what the
/// setting says).
/// </summary>
internal sealed class CheckDataSource(IOptions<CheckModeOptions> modes) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(() => Build(modes.Value.Database));

    public NpgsqlDataSource Value => _dataSource.Value;

    public static NpgsqlDataSource Build(DatabaseCheckOptions database)
    {
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "revocation-check";
        if (database.MaxPoolSize is { } size)
        {
            builder.ConnectionStringBuilder.MaxPoolSize = size;
            builder.ConnectionStringBuilder.MinPoolSize = Math.Min(builder.ConnectionStringBuilder.MinPoolSize, size);
        }

        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource.IsValueCreated)
        {
            await _dataSource.Value.DisposeAsync();
        }
    }
}
