using Microsoft.Extensions.Configuration;

namespace Revocation.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>AppHost</c>; on the command line <c>AppHost:Silos=3</c>):
/// how many silos and API nodes, and the ports they take on 127.0.0.1 — the same layout as
/// <c>scripts/cluster.sh</c> (silo i: BasePort+i, its gateway BasePort+100+i, its HTTP
/// BasePort+300+i; API node j: BasePort+200+j), on another base so both can run at once.
/// </summary>
internal sealed record AppHostSettings(int Silos, int ApiNodes, int BasePort, int PostgresPort, string? PostgresDir)
{
    public const string SectionName = "AppHost";

    public static AppHostSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var settings = new AppHostSettings(
            Number(section, nameof(Silos), 2),
            Number(section, nameof(ApiNodes), 2),
            Number(section, nameof(BasePort), 22000),
            Number(section, nameof(PostgresPort), 54319),
            section[nameof(PostgresDir)]);
        settings.Validate();
        return settings;
    }

    public int SiloPort(int i) => BasePort + i;

    public int GatewayPort(int i) => BasePort + 100 + i;

    public int ApiPort(int j) => BasePort + 200 + j;

    public int SiloHttpPort(int i) => BasePort + 300 + i;

    public int DashboardPort(int i) => BasePort + 400 + i;

    public string ConnectionString => $"Host=127.0.0.1;Port={PostgresPort};Database=registry;Username=postgres";

    private void Validate()
    {
        Require(Silos is >= 1 and <= 9, $"{SectionName}:{nameof(Silos)} must be from 1 to 9 (was {Silos})");
        Require(ApiNodes is >= 0 and <= 9, $"{SectionName}:{nameof(ApiNodes)} must be from 0 to 9 (was {ApiNodes})");
        Require(BasePort is >= 1024 and <= 65_000, $"{SectionName}:{nameof(BasePort)} must be from 1024 to 65000, leaving room for its 500 ports (was {BasePort})");
        Require(PostgresPort is >= 1024 and <= 65_535, $"{SectionName}:{nameof(PostgresPort)} must be from 1024 to 65535 (was {PostgresPort})");
        Require(PostgresPort < BasePort || PostgresPort >= BasePort + 500,
            $"{SectionName}:{nameof(PostgresPort)} ({PostgresPort}) lies among the cluster's ports ({BasePort}–{BasePort + 499})");
    }

    private static int Number(IConfiguration section, string key, int fallback)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"{SectionName}:{key} must be a whole number (was '{text}')");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
