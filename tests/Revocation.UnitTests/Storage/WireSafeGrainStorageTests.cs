using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Revocation.Abstractions;
using Revocation.Silo.Storage;

namespace Revocation.UnitTests.Storage;

/// <summary>
/// The subject grains' Orleans storage fails with the registry's own exception, which Orleans can send
/// to a client; the driver's exception it replaces cannot be sent at all.
/// </summary>
public sealed class WireSafeGrainStorageTests
{
    private static readonly GrainId Subject = GrainId.Create("subject", "alice");

    private static readonly Serializer Wire = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(RegistryStorageException).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public async Task StorageFailure_BecomesRegistryStorageException_ThatCrossesTheWire()
    {
        var driver = new PostgresException("relation \"orleansstorage\" does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable);
        var storage = new WireSafeGrainStorage(new FailingStorage(driver), "registry");

        var read = await Assert.ThrowsAsync<RegistryStorageException>(() => storage.ReadStateAsync("state", Subject, new GrainState<int>()));
        var written = await Assert.ThrowsAsync<RegistryStorageException>(() => storage.WriteStateAsync("state", Subject, new GrainState<int>()));

        Assert.Throws<CodecNotFoundException>(() => Wire.SerializeToArray<Exception>(driver)); // why it is translated
        Assert.Null(read.InnerException);
        Assert.Contains("42P01", read.Message, StringComparison.Ordinal);
        Assert.Contains("read", read.Message, StringComparison.Ordinal);
        Assert.Contains("written", written.Message, StringComparison.Ordinal);
        var received = Wire.Deserialize<Exception>(Wire.SerializeToArray<Exception>(read));
        Assert.IsType<RegistryStorageException>(received);
        Assert.Equal(read.Message, received.Message);
    }

    [Fact]
    public async Task VersionConflict_StaysAnInconsistentStateException()
    {
        var conflict = new InconsistentStateException("version conflict");
        var storage = new WireSafeGrainStorage(new FailingStorage(conflict), "registry");

        var thrown = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("state", Subject, new GrainState<int>()));

        Assert.Same(conflict, thrown);
    }

    private sealed class FailingStorage(Exception failure) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw failure;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(failure);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(failure);
    }
}
