using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Revocation.Silo.Rejuvenation;

/// <summary>
/// Recycles this silo on purpose when it is old enough or uses too much memory: it waits for a
/// cluster-wide turn (<see cref="PostgresRecycleTurns"/>), then takes the graceful path — the
/// host stops as on SIGTERM — and the process exits with <see cref="RejuvenationOptions.RecycleExitCode"/>
/// for its supervisor to start it again. Where the silo serves <c>/health/ready</c> (<paramref name="health"/>),
/// a process that replaced a recycled one ends its predecessor's turn only once that answers healthy:
/// what orchestrators and load balancers see, so that no two silos are ever unready at once by turn.
/// </summary>
public sealed class SiloRecycler(
    IOptions<RejuvenationOptions> options,
    IOptions<ClusterOptions> cluster,
    ILocalSiloDetails silo,
    ISiloStatusOracle membership,
    PostgresRecycleTurns turns,
    RejuvenationMetrics metrics,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SiloRecycler> logger,
    HealthCheckService? health = null) : BackgroundService
{
    /// <summary>How often a started silo asks its readiness checks before it ends its predecessor's turn.</summary>
    internal static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(500);

    private volatile int _exitCode;

    /// <summary>The status the process exits with: 0, or <see cref="RejuvenationOptions.RecycleExitCode"/> once it recycled itself.</summary>
    public int ExitCode => _exitCode;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // Drawn once per process, so silos started together spread out instead of queueing together.
        TimeSpan? lifetimeDue = settings.MaxLifetime is { } max ? max * (1 - (settings.Jitter * Random.Shared.NextDouble())) : null;
        long? memoryLimit = settings.MemoryLimit is { } text && ByteSize.TryParse(text, out var bytes) ? bytes : null;
        SiloLog.RejuvenationEnabled(logger, lifetimeDue, settings.MaxLifetime, memoryLimit, settings.MaxConcurrent, settings.MinSilos);

        DateTimeOffset? dueSince = null;
        (int, int)? lastBlock = null;
        using var timer = new PeriodicTimer(settings.CheckPeriod, time);

        // Back from a recycle (or a first start): once this process serves — Active, its HTTP side
        // up, ready — it ends its predecessor's turn, so that the next silo recycles only now.
        if (!await StartedAsync(stoppingToken) || !await ReadyAsync(stoppingToken))
        {
            return;
        }

        while (!await ReturnedAsync(stoppingToken))
        {
            if (!await WaitAsync(timer, stoppingToken))
            {
                return;
            }
        }

        while (await WaitAsync(timer, stoppingToken))
        {
            // Before the silo is Active it has no membership row to count, and while it stops for
            // another reason there is nothing to recycle.
            if (membership.CurrentStatus != SiloStatus.Active)
            {
                continue;
            }

            var age = metrics.ProcessAge;
            var memory = ResidentBytes();
            var reason = age >= lifetimeDue ? RecycleReason.MaxLifetime
                : memory > memoryLimit && age >= settings.MemoryMinUptime ? RecycleReason.Memory
                : null;
            if (reason is null)
            {
                continue;
            }

            if (dueSince is null)
            {
                dueSince = time.GetUtcNow();
                metrics.WaitingSince(dueSince);
                SiloLog.RecycleDue(logger, reason, age, memory);
            }

            var holder = Holder();
            TurnAnswer answer;
            try
            {
                answer = await turns.TryTakeAsync(cluster.Value.ClusterId, holder, reason, settings.MaxConcurrent, settings.MinSilos, settings.TurnTimeout, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Without a turn the silo simply keeps serving; the database being away is no
                // reason to stop, and certainly not to stop without a turn.
                SiloLog.RecycleTurnRequestFailed(logger, settings.CheckPeriod, ex);
                continue;
            }

            foreach (var expired in answer.Expired)
            {
                SiloLog.RecycleTurnExpired(logger, expired);
            }

            if (!answer.Granted)
            {
                if (lastBlock != (answer.HeldByOthers, answer.OtherActiveSilos))
                {
                    lastBlock = (answer.HeldByOthers, answer.OtherActiveSilos);
                    SiloLog.RecycleBlocked(logger, answer.HeldByOthers, settings.MaxConcurrent, answer.OtherActiveSilos, settings.MinSilos);
                }

                continue;
            }

            var waited = time.GetUtcNow() - dueSince.Value;
            metrics.WaitingSince(null);
            metrics.Recycling(reason, waited);
            _exitCode = RejuvenationOptions.RecycleExitCode;
            SiloLog.Recycling(logger, holder, reason, age, memory, waited, RejuvenationOptions.RecycleExitCode);
            lifetime.StopApplication();
            return;
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var whenStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until this silo's readiness checks (the <c>ready</c> tag: Active, database answering) pass,
    /// asking every <see cref="ReadinessPoll"/>; true at once where the silo has no health checks.
    /// </summary>
    private async Task<bool> ReadyAsync(CancellationToken stoppingToken)
    {
        if (health is null)
        {
            return true;
        }

        var logged = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), stoppingToken);
            if (report.Status == HealthStatus.Healthy)
            {
                return true;
            }

            if (!logged)
            {
                logged = true;
                SiloLog.RecycleWaitsForReadiness(logger, report.Status);
            }

            try
            {
                await Task.Delay(ReadinessPoll, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Ends the predecessor's turn and adds its recycles to the metric; false (try again later) if the
    /// database did not answer.
    /// </summary>
    private async Task<bool> ReturnedAsync(CancellationToken stoppingToken)
    {
        try
        {
            var holder = Holder();
            var (released, earlier) = await turns.ReturnAsync(cluster.Value.ClusterId, holder, stoppingToken);
            metrics.Earlier(earlier);
            if (released > 0)
            {
                SiloLog.RecycleTurnReturned(logger, holder);
            }

            return true;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            SiloLog.RecycleTurnReturnFailed(logger, options.Value.CheckPeriod, ex);
            return false;
        }
    }

    private RecycleHolder Holder()
    {
        var address = silo.SiloAddress;
        return new RecycleHolder(address.Endpoint.Address.ToString(), address.Endpoint.Port, address.Generation);
    }

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
