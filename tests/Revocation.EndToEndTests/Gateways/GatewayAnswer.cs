using System.Net;

namespace Revocation.EndToEndTests.Gateways;

/// <summary>A gateway's answer; when the backend answered, what it received (its echo).</summary>
/// <param name="Method">The method the backend saw; <c>null</c> when the backend never saw the request.</param>
/// <param name="Path">The path the backend saw; <c>null</c> likewise.</param>
/// <param name="Identity">The X-Auth-* headers the backend saw (lower-case names), each with its values.</param>
public sealed record GatewayAnswer(
    HttpStatusCode Status, string Challenge, string? RetryAfter, string? Method, string? Path, Dictionary<string, string[]> Identity, string Body)
{
    public override string ToString() =>
        $"{(int)Status}, WWW-Authenticate '{Challenge}', backend saw {Method} {Path} [{string.Join("; ", Identity.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))}], body {Body[..Math.Min(Body.Length, 200)]}";
}
