using Orleans.Runtime;

namespace Revocation.Silo.Sweeping;

/// <summary>Which failures of the sweep reminder's registration a starting silo asks again instead of failing its start.</summary>
public static class SweepScheduleRetries
{
    /// <summary>
    /// A rejected call (the sweeper's silo is stopping) is asked again at every attempt; one that timed
    /// out, once: Orleans' reminder service makes a registration wait (up to 20 s) for its first read of
    /// the reminder table and retries a failed first read only 30 s later, so on a loaded machine the
    /// first call can outlast its response timeout although the second succeeds. The call is idempotent.
    /// </summary>
    /// <param name="exception">What the call failed with.</param>
    /// <param name="attempt">Which attempt failed, from 1.</param>
    public static bool AskAgain(Exception exception, int attempt) =>
        exception is OrleansMessageRejectionException or SiloUnavailableException || (exception is TimeoutException && attempt == 1);
}
