namespace Revocation.Grains;

/// <summary>
/// Subject not-befores written before issuer-scoped keys (migration 0009): they stay under their
/// old grain ids and state name, and belong to one issuer, recorded by that migration.
/// </summary>
public interface ILegacySubjects
{
    /// <summary>
    /// The issuer the old subject states belong to; <c>null</c> when there are none (a database
    /// created at or after migration 0009, or one that had no subject-wide revocation then).
    /// </summary>
    Task<string?> IssuerAsync();
}
