using System.Text.Json;

namespace Revocation.Api.SharedSignals;

/// <summary>A SET whose signature, issuer, audience, type and claims were verified (<see cref="SecurityEventTokenValidator"/>).</summary>
/// <param name="Transmitter">The transmitter that signed it.</param>
/// <param name="Jti">Its id, unique per transmitter: a second delivery is recognised by it.</param>
/// <param name="IssuedAt">Its <c>iat</c>.</param>
/// <param name="Payload">Its claims (a JSON object with an <c>events</c> object of one member or more).</param>
internal sealed record SecurityEventToken(TransmitterOptions Transmitter, string Jti, DateTimeOffset IssuedAt, JsonElement Payload);
