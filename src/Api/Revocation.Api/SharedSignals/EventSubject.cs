using System.Text.Json;
using Revocation.Abstractions;

namespace Revocation.Api.SharedSignals;

/// <summary>
/// Whom an event is about, read from an RFC 9493 subject identifier (SSF 1.0 §3): the user and the
/// session it names, each scoped by the token issuer whose tokens carry them. <c>iss_sub</c> names
/// its issuer; an <c>opaque</c> id belongs to the transmitter's <see cref="TransmitterOptions.SubjectIssuer"/>
/// and is a session for session events, a user otherwise; a <c>complex</c> subject's <c>user</c> and
/// <c>session</c> members are read so; <c>aliases</c> are searched for a format read here. Other
/// formats (email, phone_number, account, did, uri, …) name nothing a token carries: <see cref="IsEmpty"/>.
/// </summary>
internal sealed record EventSubject(IssuerKey? User, IssuerKey? Session)
{
    public static EventSubject None { get; } = new(null, null);

    public bool IsEmpty => User is null && Session is null;

    /// <param name="identifier">The event's subject (<c>sub_id</c>, or a CAEP/RISC event's own <c>subject</c>).</param>
    /// <param name="subjectIssuer">The token issuer an <c>opaque</c> id belongs to.</param>
    /// <param name="opaqueIsSession">Whether a simple <c>opaque</c> id names a session (session events) rather than a user.</param>
    public static EventSubject Read(JsonElement identifier, string subjectIssuer, bool opaqueIsSession)
    {
        if (identifier.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        if (Format(identifier) == "complex")
        {
            var user = Simple(Member(identifier, "user"), subjectIssuer).Key;
            var session = Simple(Member(identifier, "session"), subjectIssuer).Key;
            return new EventSubject(user, session);
        }

        var (format, key) = Simple(identifier, subjectIssuer);
        return opaqueIsSession && format == "opaque" ? new EventSubject(null, key) : new EventSubject(key, null);
    }

    /// <summary>
    /// A simple identifier as (issuer, value) with the format it was read from (an alias's own for
    /// <c>aliases</c>); no key for a format that names nothing a token carries, or for invalid values.
    /// </summary>
    private static (string? Format, IssuerKey? Key) Simple(JsonElement? identifier, string subjectIssuer)
    {
        if (identifier is not { ValueKind: JsonValueKind.Object } id)
        {
            return (null, null);
        }

        var format = Format(id);
        return format switch
        {
            "iss_sub" when Text(id, "iss") is { } iss && Text(id, "sub") is { } sub => (format, Checked(iss, sub)),
            "opaque" when Text(id, "id") is { } opaque => (format, Checked(subjectIssuer, opaque)),

            // RFC 9493 §3.2.2: aliases never nest; the first alias read here stands for the subject.
            "aliases" when Member(id, "identifiers") is { ValueKind: JsonValueKind.Array } aliases => aliases.EnumerateArray()
                .Where(a => Format(a) != "aliases").Select(a => Simple(a, subjectIssuer)).FirstOrDefault(a => a.Key is not null),
            _ => (format, null),
        };
    }

    /// <summary>Only values that a grain key can hold; anything else names no token here.</summary>
    private static IssuerKey? Checked(string issuer, string value) =>
        TokenInput.CheckIssuer(issuer) is null && TokenInput.CheckSubject(value) is null ? new IssuerKey(issuer, value) : null;

    private static string? Format(JsonElement id) => id.ValueKind == JsonValueKind.Object ? Text(id, "format") : null;

    private static JsonElement? Member(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
