namespace Revocation.Abstractions;

/// <summary>
/// A revocation was recorded durably, but the registry could not confirm that every API node with a
/// near-cache lease stopped accepting the token. Callers should not acknowledge it; retrying the
/// revocation (idempotent) tells the nodes again. Meanwhile a node still holding a lease may accept
/// the token until its lease runs out.
/// </summary>
[GenerateSerializer, Alias("Revocation.RevocationNotConfirmedException")]
public sealed class RevocationNotConfirmedException : Exception
{
    public RevocationNotConfirmedException(string message)
        : base(message)
    {
    }
}
