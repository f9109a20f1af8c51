namespace Revocation.Abstractions;

/// <summary>
/// An input broke the registry's rules (see <see cref="TokenInput"/>); nothing was written.
/// Serializable, so callers on other nodes see the same type and the field at fault.
/// </summary>
[GenerateSerializer, Alias("Revocation.TokenInputException")]
public sealed class TokenInputException : ArgumentException
{
    public TokenInputException(string message, string field)
        : base(message)
    {
        Field = field;
    }

    /// <summary>The input at fault: <c>jti</c>, <c>sub</c>, <c>expiresAt</c>, <c>reason</c> or <c>notBefore</c>.</summary>
    [Id(0)]
    public string Field { get; private set; }

    /// <inheritdoc />
    public override string ParamName => Field;
}
