using Revocation.Silo.Sweeping;

namespace Revocation.UnitTests.Sweeper;

/// <summary>
/// Which failures of the sweep reminder's registration a starting silo asks again instead of failing
/// its start (<see cref="SweepScheduleRetries"/>, used by the silo's start participant).
/// </summary>
public sealed class SweepScheduleOnStartTests
{
    [Fact]
    public void ASiloThatIsGone_IsAskedAgain_AtEveryAttempt()
    {
        Assert.True(SweepScheduleRetries.AskAgain(new SiloUnavailableException("gone"), attempt: 1));
        Assert.True(SweepScheduleRetries.AskAgain(new SiloUnavailableException("gone"), attempt: 3));
    }

    [Fact]
    public void ACallThatTimedOut_IsAskedAgainOnce()
    {
        // Orleans' reminder service retries a failed first read of its table only 30 s later: the
        // first call can time out although the second succeeds; a second timeout fails the start.
        Assert.True(SweepScheduleRetries.AskAgain(new TimeoutException("Response did not arrive on time"), attempt: 1));
        Assert.False(SweepScheduleRetries.AskAgain(new TimeoutException("Response did not arrive on time"), attempt: 2));
    }

    [Fact]
    public void AStorageFailure_FailsTheStart()
    {
        Assert.False(SweepScheduleRetries.AskAgain(new Revocation.Abstractions.RegistryStorageException("the reminder table refused"), attempt: 1));
    }
}
