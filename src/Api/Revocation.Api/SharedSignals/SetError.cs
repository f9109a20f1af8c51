using System.Text.Json.Serialization;

namespace Revocation.Api.SharedSignals;

/// <summary>RFC 8935 §2.3's error body: an error code of the IANA registry and a description for the transmitter's operator.</summary>
public sealed record SetError(
    [property: JsonPropertyName("err")] string Err,
    [property: JsonPropertyName("description")] string Description);
