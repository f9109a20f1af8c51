using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Revocation.AspNetCore.Lookups;

/// <summary>
/// A check is an idempotent read: when its grain call fails because the silo holding the grain is
/// gone (crashed, recycled, connection lost), it is asked again — the grain is activated anew on a
/// silo that lives, from the database — for as long as the check's own time budget
/// (<see cref="RevocationCheckOptions.Timeout"/>) allows. Revocations are never retried here: their
/// callers decide (a revocation whose outcome is unknown is answered 503 and may be repeated).
/// </summary>
internal static class SiloLossRetry
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    /// <summary>Runs <paramref name="call"/>, again after a short pause when a silo was lost, until <paramref name="budget"/> is spent.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsSiloLoss(ex) && time.GetElapsedTime(started) + pause < budget && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(pause, time, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>Failures that mean "the silo is gone or going", not "the grain answered with an error".</summary>
    public static bool IsSiloLoss(Exception exception) => exception is
        SiloUnavailableException or
        OrleansMessageRejectionException or
        ConnectionFailedException or
        Orleans.Networking.Shared.SocketConnectionException or
        GatewayTooBusyException;
}
