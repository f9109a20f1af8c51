using System.Diagnostics.Metrics;
using Revocation.AspNetCore;

namespace Revocation.Api.Oidc;

/// <summary>Logout tokens received, by result (<c>ok</c>, <c>refused</c>, <c>replayed</c>, <c>error</c>) and reason.</summary>
internal sealed class BackchannelLogoutMetrics
{
    private readonly Counter<long> _received;

    public BackchannelLogoutMetrics(IMeterFactory meterFactory) =>
        _received = meterFactory.Create(RevocationMetrics.MeterName).CreateCounter<long>(
            "revocation.backchannel_logouts",
            description: "Back-channel logout tokens received, by result (ok: revoked and acknowledged by every node; refused: invalid, with the rule broken as reason; replayed: a jti seen before; error: the registry failed) and reason.");

    public void Received(string result, string reason) => _received.Add(
        1,
        new KeyValuePair<string, object?>("result", result),
        new KeyValuePair<string, object?>("reason", reason));
}
