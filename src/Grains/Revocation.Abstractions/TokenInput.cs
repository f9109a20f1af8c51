namespace Revocation.Abstractions;

/// <summary>
/// The input rules shared by callers and grains, so that a bad jti is refused before it reaches
/// the cluster and again inside the grain, before any database access.
/// </summary>
public static class TokenInput
{
    /// <summary>The longest accepted jti, in UTF-16 characters.</summary>
    public const int MaxJtiLength = 256;

    /// <summary>The longest accepted revocation reason, in UTF-16 characters.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>Checks a jti: 1–256 characters, none of them a control character.</summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckJti(string? jti) => CheckKey(jti, "jti");

    /// <summary>Checks a subject (<c>sub</c>) with the same rules as a jti.</summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckSubject(string? sub) => CheckKey(sub, "sub");

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>sub</c> when it breaks <see cref="CheckSubject"/>.</summary>
    public static void ValidateSubject(string? sub)
    {
        if (CheckSubject(sub) is { } error)
        {
            throw new TokenInputException(error, nameof(sub));
        }
    }

    private static string? CheckKey(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"{field} must not be empty.";
        }

        if (value.Length > MaxJtiLength)
        {
            return $"{field} must be at most {MaxJtiLength} characters (was {value.Length}).";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return $"{field} must not contain control characters (found U+{(int)c:X4}).";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>jti</c> when it breaks <see cref="CheckJti"/>.</summary>
    public static void ValidateJti(string? jti)
    {
        if (CheckJti(jti) is { } error)
        {
            throw new TokenInputException(error, nameof(jti));
        }
    }

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>reason</c> when it is too long.</summary>
    public static void ValidateReason(string? reason)
    {
        if (reason is { Length: > MaxReasonLength })
        {
            throw new TokenInputException(
                $"reason must be at most {MaxReasonLength} characters (was {reason.Length}).", nameof(reason));
        }
    }
}
