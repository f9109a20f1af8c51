namespace Revocation.EndToEndTests.NearCache;

/// <summary>
/// One round of <see cref="RevocationRaceProcessTests"/>: a logout through <paramref name="LogoutNode"/>
/// (of the subject with <paramref name="Subject"/>, else of one token), the other node paused around
/// it or not, its cache warmed (<paramref name="Warm"/>) or left cold, and every check made from just
/// before the logout until a few were sent after it returned, on either node (<paramref name="Checks"/>).
/// </summary>
public sealed record RaceIteration(
    int Index,
    bool Subject,
    bool Paused,
    bool Cold,
    int LogoutNode,
    TimeSpan LogoutSent,
    TimeSpan LogoutReturned,
    int LogoutStatus,
    IReadOnlyList<RaceCheck> Warm,
    IReadOnlyList<RaceCheck> Checks)
{
    public TimeSpan LogoutTook => LogoutReturned - LogoutSent;

    /// <summary>Checks sent once the logout had returned: each must be refused (promise 2; promise 8 for the paused node).</summary>
    public IEnumerable<RaceCheck> SentAfterTheLogout => Checks.Where(c => c.Sent >= LogoutReturned);

    /// <summary>Checks sent before the logout returned and answered after it was sent: concurrent with it, either answer is right.</summary>
    public IEnumerable<RaceCheck> InFlight => Checks.Where(c => c.Sent < LogoutReturned && c.Done > LogoutSent);

    /// <summary>Checks that failed: a warming check not accepted, or any answer other than 200 or 401.</summary>
    public IEnumerable<RaceCheck> Failures => Warm.Where(c => c.Status != 200).Concat(Checks.Where(c => c.Failed));

    /// <summary>A token accepted by a check sent after its revocation returned.</summary>
    public IEnumerable<RaceCheck> StaleAccepts => SentAfterTheLogout.Where(c => c.Status == 200);

    public string Describe(RaceCheck check, DateTimeOffset clockStartedUtc) =>
        $"iteration {Index} ({(Subject ? "log out everywhere" : "token logout")} through node {LogoutNode}" +
        $"{(Paused ? $", node {1 - LogoutNode} paused" : "")}{(Cold ? $", node {1 - LogoutNode} cold" : "")}): " +
        $"node {check.Node} answered {check.Status} to a check sent {(check.Sent - LogoutReturned).TotalMilliseconds:F1} ms after the logout returned " +
        $"(sent {clockStartedUtc + check.Sent:HH:mm:ss.fff}Z, answered {(check.Done - check.Sent).TotalMilliseconds:F1} ms later; " +
        $"logout sent {clockStartedUtc + LogoutSent:HH:mm:ss.fff}Z, took {LogoutTook.TotalMilliseconds:F1} ms, status {LogoutStatus})";
}
