namespace Revocation.Grains;

/// <summary>The durable store of session revocations, one row per revoked (issuer, sid), with the rules of <see cref="IRevocationStore"/>.</summary>
public interface ISessionRevocationStore : IRevocationStore;
