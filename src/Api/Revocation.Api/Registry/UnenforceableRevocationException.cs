namespace Revocation.Api.Registry;

/// <summary>
/// A revocation this node would not enforce was asked of it (its check mode does not look at that
/// kind): acknowledging it would leave the tokens it covers accepted here. Answered 409.
/// </summary>
public abstract class UnenforceableRevocationException(string title, string message) : Exception(message)
{
    /// <summary>The ProblemDetails title.</summary>
    public string Title { get; } = title;
}
