namespace Revocation.Abstractions;

/// <summary>
/// The registry's database failed while answering or recording a revocation. Nothing was
/// acknowledged; callers should fail closed (and may retry).
/// </summary>
[GenerateSerializer, Alias("Revocation.RegistryStorageException")]
public sealed class RegistryStorageException : Exception
{
    public RegistryStorageException(string message)
        : base(message)
    {
    }
}
