using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.Storage;

/// <summary>
/// One silo on a database of its own, with the default <c>Database:CommandTimeout</c>, for tests
/// that lock <c>revoked_tokens</c> outright: no other test's statements wait behind those locks.
/// </summary>
public sealed class HungDatabaseCluster() : RegistryCluster(1, new Dictionary<string, string?> { ["Sweeper:DueTime"] = "01:00:00" });
