namespace Revocation.Api.Gateway;

/// <summary>A claim's value as the payload holds it (<see cref="PayloadClaims"/>).</summary>
/// <param name="String">Set when the value is a JSON string.</param>
/// <param name="Strings">Set when the value is an array of strings only.</param>
internal sealed record PayloadValue(string? String, string[]? Strings)
{
    /// <summary>A number, an object, a boolean, null, a mixed array, or a member repeated in the payload.</summary>
    public static PayloadValue Other { get; } = new(null, null);
}
