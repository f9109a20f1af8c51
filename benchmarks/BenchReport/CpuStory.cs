using static Revocation.BenchReport.ChecksMeasurements;

namespace Revocation.BenchReport;

/// <summary>Where a check's CPU goes in each Grain variant compared with LocalCache's, at concurrency 64 (µs per request).</summary>
internal static class CpuStory
{
    /// <summary>One paragraph, or nothing when LocalCache did not run at 64.</summary>
    public static string Tell(ChecksMeasurements m)
    {
        if (m.LevelOf("LocalCache", 64) is not { } local)
        {
            return "";
        }

        var story = $"At concurrency 64 a LocalCache request costs {Numbers.Whole(Sum(local))} µs of CPU in all (API node {Numbers.Whole(local.Number(LevelColumns.ApiCpu))} µs).";
        if (m.LevelOf("Grain", 64) is { } grain)
        {
            story += $" A Grain request with the near cache costs {Numbers.Whole(Sum(grain))} µs (API node {Numbers.Whole(grain.Number(LevelColumns.ApiCpu))} µs, silo {Numbers.Whole(grain.Number(LevelColumns.SiloCpu))} µs, {Numbers.Fixed(grain.Number(LevelColumns.GrainCallsPerRequest), 3)} grain calls per request): {Numbers.SignedWhole(Sum(grain) - Sum(local))} µs against LocalCache.";
        }

        if (m.LevelOf("GrainNoNearCache", 64) is { } noNearCache)
        {
            story += $" Without the near cache every request asks the token and the subject grain ({Numbers.Fixed(noNearCache.Number(LevelColumns.GrainCallsPerRequest), 2)} grain calls per request): {Numbers.Whole(Sum(noNearCache))} µs (API node {Numbers.Whole(noNearCache.Number(LevelColumns.ApiCpu))} µs — the Orleans client serializing, sending and completing two calls — and silo {Numbers.Whole(noNearCache.Number(LevelColumns.SiloCpu))} µs), {Numbers.SignedWhole(Sum(noNearCache) - Sum(local))} µs against LocalCache.";
        }

        return story + "\n";
    }

    /// <summary>CPU of every process over the level, per request.</summary>
    public static double Sum(TsvRow level) =>
        level.Number(LevelColumns.ApiCpu) + level.Number(LevelColumns.SiloCpu) + level.Number(LevelColumns.PostgresCpu) + level.Number(LevelColumns.RestCpu);
}
