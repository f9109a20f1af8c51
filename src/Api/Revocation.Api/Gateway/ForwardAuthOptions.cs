namespace Revocation.Api.Gateway;

/// <summary>
/// The forward-auth endpoint (<see cref="ForwardAuthApi.Path"/>) that gateways ask before they pass a
/// request on to a backend, bound from the <c>ForwardAuth</c> section.
/// </summary>
public sealed class ForwardAuthOptions
{
    public const string SectionName = "ForwardAuth";

    /// <summary>The names of the identity headers of an accepted request.</summary>
    public ForwardAuthHeaders Headers { get; set; } = new();
}
