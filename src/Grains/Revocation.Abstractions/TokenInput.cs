namespace Revocation.Abstractions;

/// <summary>
/// The input rules shared by callers and grains, so that a bad jti is refused before it reaches
/// the cluster and again inside the grain, before any database access.
/// </summary>
public static class TokenInput
{
    /// <summary>The longest accepted jti, in UTF-16 characters.</summary>
    public const int MaxJtiLength = 256;

    /// <summary>The longest accepted issuer (<c>iss</c>), in UTF-16 characters.</summary>
    public const int MaxIssuerLength = 256;

    /// <summary>The longest accepted revocation reason, in UTF-16 characters.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>Checks a jti: 1–256 characters, none of them a control character.</summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckJti(string? jti) => CheckKey(jti, "jti");

    /// <summary>Checks a subject (<c>sub</c>) with the same rules as a jti.</summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckSubject(string? sub) => CheckKey(sub, "sub");

    /// <summary>Checks a session id (<c>sid</c>) with the same rules as a jti.</summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckSession(string? sid) => CheckKey(sid, "sid");

    /// <summary>
    /// Checks an issuer (<c>iss</c>): at most 256 characters, none of them a control character. Empty
    /// is allowed: it scopes the tokens of an application that validates no issuer (they carry none).
    /// </summary>
    /// <returns><c>null</c> when valid, otherwise a message naming the rule broken.</returns>
    public static string? CheckIssuer(string? iss)
    {
        if (iss is null)
        {
            return "iss must not be null (use the empty string for tokens without an issuer).";
        }

        if (iss.Length > MaxIssuerLength)
        {
            return $"iss must be at most {MaxIssuerLength} characters (was {iss.Length}).";
        }

        return ControlCharacter(iss, "iss");
    }

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>iss</c> when it breaks <see cref="CheckIssuer"/>.</summary>
    public static void ValidateIssuer(string? iss)
    {
        if (CheckIssuer(iss) is { } error)
        {
            throw new TokenInputException(error, nameof(iss));
        }
    }

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>sub</c> when it breaks <see cref="CheckSubject"/>.</summary>
    public static void ValidateSubject(string? sub)
    {
        if (CheckSubject(sub) is { } error)
        {
            throw new TokenInputException(error, nameof(sub));
        }
    }

    /// <summary>Throws <see cref="TokenInputException"/> naming <c>sid</c> when it breaks <see cref="CheckSession"/>.</summary>
    public static void ValidateSession(string? sid)
    {
        if (CheckSession(sid) is { } error)
        {
            throw new TokenInputException(error, nameof(sid));
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

        return ControlCharacter(value, field);
    }

    private static string? ControlCharacter(string value, string field)
    {
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
