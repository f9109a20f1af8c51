namespace Revocation.Api.Gateway;

/// <summary>One identity header of an accepted request.</summary>
/// <param name="Name">The header's configured name.</param>
/// <param name="Claim">The claim it carries (<c>sub</c>, <c>jti</c>, <c>scope</c>, <c>client_id</c>).</param>
/// <param name="Value">What the header says; <c>null</c>: no header.</param>
/// <param name="LeftOut">The token has the claim, but not in a form a header may carry (<see cref="IdentityHeaders"/>).</param>
public sealed record IdentityHeader(string Name, string Claim, string? Value, bool LeftOut);
