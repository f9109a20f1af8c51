using System.Globalization;

namespace Revocation.IntegrationTests.Fixtures;

/// <summary>
/// A PostgreSQL server of one test's own (scripts/postgres.sh on another port and data folder),
/// so the test may stop and restart it without disturbing the shared test server.
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly Dictionary<string, string> _environment;

    public PrivatePostgres()
    {
        var port = TestPorts.Free();
        _environment = new Dictionary<string, string>
        {
            ["REGISTRY_PG_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["REGISTRY_PG_DIR"] = Path.Combine(Path.GetTempPath(), $"registry-private-pg-{port}"),
        };
        Start();
        ConnectionString = TestPostgres.Run(RepoPaths.Script("postgres.sh"), "url", _environment).Trim();
    }

    public string ConnectionString { get; }

    public void Start() => TestPostgres.Run(RepoPaths.Script("postgres.sh"), "start", _environment);

    public void Stop() => TestPostgres.Run(RepoPaths.Script("postgres.sh"), "stop", _environment);

    public void Dispose()
    {
        Stop();
        Directory.Delete(_environment["REGISTRY_PG_DIR"], recursive: true);
    }
}
