namespace Revocation.EndToEndTests.NearCache;

/// <summary>
/// One <c>GET /me</c> of a race between checks and a revocation: on which API node, when it was
/// sent and when its answer came (on the test's clock), and the status (0: no HTTP answer).
/// </summary>
public readonly record struct RaceCheck(int Node, TimeSpan Sent, TimeSpan Done, int Status)
{
    /// <summary>An answer that is neither "accepted" nor "revoked": the check failed.</summary>
    public bool Failed => Status is not (200 or 401);
}
