namespace Revocation.BenchReport;

/// <summary>
/// The memory bound (benchmarks/results-memory.md, <c>scripts/bench.sh memory</c>): one silo whose
/// heap is limited, a million distinct tokens through it, once per silo configuration (memory-step.tsv).
/// </summary>
internal static class MemoryReport
{
    /// <summary>memory-step.tsv (bench.sh's <c>memory_config</c>); the figures at the end are "—" when the silo died.</summary>
    public static class MemoryStepColumns
    {
        public const int Silo = 1, Tokens = 2, TokensPerSecond = 3, PeakRssMib = 4, RssMib = 5, HeapMib = 6, Activations = 7, Evicted = 8,
            Statuses = 9, OutOfMemoryLines = 10, Alive = 11;
    }

    public sealed record Run(string Out, bool Smoke, int Tokens, int HeapLimitMib)
    {
        /// <summary>What .NET takes as its heap limit in a container: 75 % of the container's memory, so the process's whole budget is 4/3 of it.</summary>
        public int ProcessBudgetMib => HeapLimitMib * 4 / 3;

        /// <exception cref="ArgumentException">An option is unknown, missing or out of range.</exception>
        public static Run From(CommandLine line)
        {
            line.RefuseOthers(["out", "smoke", "tokens", "heap-limit-mb"]);
            return new(line.Text("out"), line.Flag("smoke"), line.AtLeast("tokens", 1_000_000, 1), line.AtLeast("heap-limit-mb", 576, 1));
        }
    }

    /// <exception cref="InvalidDataException">A peak RSS is not a number.</exception>
    public static string Write(Run run, IReadOnlyList<TsvRow> configurations, string machine)
    {
        var text = new Markdown($"Memory bound: {run.Tokens} distinct tokens through one silo", run.Smoke ? "Smoke run: numbers are not meaningful." : null);
        text.Line($"`scripts/bench.sh memory` — Grain mode, one silo started with `DOTNET_GCHeapHardLimit` = {run.HeapLimitMib} MiB (the memory Orleans' shedding measures against) and Orleans' memory-pressure shedding on (`GrainCollection:MemoryUsageLimitPercentage` 80 / target 70, polled every second); every token used once through one API node at concurrency 32. Two silo configurations, one after the other in the same run: the token grain cap (`TokenGrain:MaxActivationsPerSilo`) at its default, and the cap off; both with Orleans' grain directory cache at the cap's size (`GrainDirectory:CacheSize`, what the silo sets when the cap is on). A heap limit of {run.HeapLimitMib} MiB is what .NET sets by itself in a container limited to {run.ProcessBudgetMib} MiB (75 %), so silo RSS is compared with that: the process's whole budget.");
        text.Line();
        text.Block(machine);
        text.Line();
        text.Line($"| silo | tokens | tokens/s | silo peak RSS MiB, 2 s samples (under {run.ProcessBudgetMib} MiB?) | silo RSS MiB at the end | silo heap MiB at the end | activations at the end (all grain types) | token grains evicted by the cap | HTTP statuses | OutOfMemoryException lines in the silo log | silo alive at the end |");
        text.Line("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");
        foreach (var r in configurations)
        {
            var within = r.Number(MemoryStepColumns.PeakRssMib) < run.ProcessBudgetMib ? "yes" : "**no**";
            text.Line($"| {r[1]} | {r[2]} | {r[3]} | {r[4]} ({within}) | {r[5]} | {r[6]} | {r[7]} | {r[8]} | {r[9]} | {r[10]} | {r[11]} |");
        }

        text.Line();
        text.Line("Activations count every grain type (token grains, the 1 000 subject grains, Orleans' own). OutOfMemoryException lines are failed operations inside the silo (each a failed check or worse); a row with none and every status 200 is a clean run. How the cap came about, and what shedding alone did over a longer diagnosis: [memory-shedding-notes.md](memory-shedding-notes.md).");
        return text.ToString();
    }
}
