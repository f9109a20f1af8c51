using Npgsql;
using Revocation.IntegrationTests.Fixtures;

namespace Revocation.IntegrationTests.OrleansTables;

/// <summary>Migration 0004 against the contract of Orleans' ADO.NET reminder provider.</summary>
public sealed class ReminderQueriesTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private OrleansQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await Databases.MigratedAsync("reminder_queries");
        _queries = new OrleansQueries(_dataSource);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    public static TheoryData<string> ProviderKeys => new()
    {
        "UpsertReminderRowKey", "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    };

    [Theory]
    [MemberData(nameof(ProviderKeys))]
    public async Task Migrate_StoresEveryQueryTheReminderProviderRequires(string key) =>
        Assert.False(string.IsNullOrWhiteSpace(await _queries.TextAsync(key)));

    [Fact]
    public async Task Upsert_ReturnsANewVersionEachTime_AndReadsBackThePeriodAsInt64()
    {
        Assert.Equal(0, await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("sweeper/0", hash: 5, periodMs: 60_000)));
        Assert.Equal(1, await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("sweeper/0", hash: 5, periodMs: 300_000)));

        var row = Assert.Single(await _queries.ReadAsync("ReadReminderRowKey", new { ServiceId = "svc", GrainId = "sweeper/0", ReminderName = "tick" }));
        Assert.Equal(300_000L, Assert.IsType<long>(row["Period"]));
        Assert.Equal(1, row["Version"]);
        Assert.Equal("tick", row["ReminderName"]);
    }

    [Fact]
    public async Task Delete_OnlyWithTheCurrentVersion()
    {
        await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("sweeper/0", hash: 5));
        await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("sweeper/0", hash: 5));

        Assert.Equal(0, await _queries.ScalarAsync("DeleteReminderRowKey", new { ServiceId = "svc", GrainId = "sweeper/0", ReminderName = "tick", Version = 0 }));
        Assert.Equal(1, await _queries.ScalarAsync("DeleteReminderRowKey", new { ServiceId = "svc", GrainId = "sweeper/0", ReminderName = "tick", Version = 1 }));
        Assert.Empty(await _queries.ReadAsync("ReadReminderRowsKey", new { ServiceId = "svc", GrainId = "sweeper/0" }));
    }

    [Fact]
    public async Task RangeReads_CoverTheSignedHashRingWithAndWithoutWrapAround()
    {
        foreach (var (grain, hash) in new[] { ("a/1", -2_000_000_000), ("a/2", -5), ("a/3", 5), ("a/4", 2_000_000_000) })
        {
            await _queries.ScalarAsync("UpsertReminderRowKey", Reminder(grain, hash));
        }

        // (BeginHash, EndHash]: the provider uses query 1 when begin < end, query 2 when the range wraps.
        var inside = await _queries.ReadAsync("ReadRangeRows1Key", new { ServiceId = "svc", BeginHash = -10, EndHash = 5 });
        var wrapped = await _queries.ReadAsync("ReadRangeRows2Key", new { ServiceId = "svc", BeginHash = 5, EndHash = -10 });

        Assert.Equal(["a/2", "a/3"], inside.Select(r => (string)r["GrainId"]!).Order());
        Assert.Equal(["a/1", "a/4"], wrapped.Select(r => (string)r["GrainId"]!).Order());
    }

    [Fact]
    public async Task DeleteRows_RemovesOneServiceOnly()
    {
        await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("a/1", hash: 1));
        await _queries.ScalarAsync("UpsertReminderRowKey", Reminder("a/1", hash: 1) with { ServiceId = "other" });

        await _queries.ExecuteAsync("DeleteReminderRowsKey", new { ServiceId = "svc" });

        Assert.Empty(await _queries.ReadAsync("ReadReminderRowsKey", new { ServiceId = "svc", GrainId = "a/1" }));
        Assert.Single(await _queries.ReadAsync("ReadReminderRowsKey", new { ServiceId = "other", GrainId = "a/1" }));
    }

    private static ReminderRow Reminder(string grain, int hash, int periodMs = 60_000) =>
        new("svc", grain, "tick", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), periodMs, hash);

    // Property names are the provider's parameter names.
    private sealed record ReminderRow(string ServiceId, string GrainId, string ReminderName, DateTime StartTime, int Period, int GrainHash);
}
