namespace Revocation.BenchReport;

/// <summary>
/// The reports of scripts/bench.sh, each from the measurement files the script wrote:
/// <list type="bullet">
/// <item><c>checks --work DIR --out FILE --plots PREFIX [run settings, see <see cref="ChecksRun"/>]</c>: the check modes side by side
/// (results.md) from DIR/out's levels.tsv, stale.tsv, revocations.tsv, burst.tsv and memory.tsv;</item>
/// <item><c>dashboard</c> and <c>tls</c>, with the options of <c>checks</c>: the dashboard on vs off, mutual TLS on vs off;</item>
/// <item><c>storm --work DIR --out FILE [see <see cref="StormReport.Run"/>]</c>: from DIR/out/storm.tsv;</item>
/// <item><c>revocations --work DIR --out FILE [see <see cref="RevocationsReport.Run"/>]</c>: from DIR/out/revocations-throughput.tsv, revocations-warmup.tsv and revocations-paced.tsv;</item>
/// <item><c>scale --work DIR --out FILE --plot SVG [see <see cref="ScaleReport.Run"/>]</c>: from DIR/out/scale.tsv and scale-recovery.txt;</item>
/// <item><c>memory --work DIR --out FILE [see <see cref="MemoryReport.Run"/>]</c>: from DIR/out/memory-step.tsv;</item>
/// <item><c>gateway --work DIR --out FILE [see <see cref="GatewayReport.Run"/>]</c>: scripts/bench-gateway.sh's, from DIR/out/levels.tsv.</item>
/// </list>
/// Every report names the machine; <c>--pg-version</c> gives PostgreSQL's. Exit 2 with one line
/// naming the argument at fault, 1 for a measurement file that cannot be read.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is not [("checks" or "dashboard" or "tls" or "storm" or "revocations" or "scale" or "memory" or "gateway") and var command, .. var rest])
        {
            Console.Error.WriteLine("usage: BenchReport checks|dashboard|tls|storm|revocations|scale|memory|gateway --work DIR --out FILE [--name value]... (see Program.cs)");
            return 2;
        }

        try
        {
            var line = CommandLine.Parse(rest);
            if (command is "checks" or "dashboard" or "tls")
            {
                var run = ChecksRun.From(line);
                var measured = ChecksMeasurements.Read(run.Work);
                var machineOf = Machine.Describe(run.PostgresVersion);
                File.WriteAllText(run.Out, command switch
                {
                    "checks" => ChecksReport.Write(run, measured, machineOf),
                    "dashboard" => DashboardReport.Write(run, measured, machineOf),
                    _ => TlsReport.Write(run, measured, machineOf),
                });
                return 0;
            }

            var measurements = MeasurementFolder.Of(line.Text("work"));
            if (command == "gateway")
            {
                var gateway = GatewayReport.Run.From(line.Without("work"));
                File.WriteAllText(gateway.Out, GatewayReport.Write(gateway, TsvRow.ReadAll(Path.Combine(measurements, "levels.tsv")), Machine.Commit()));
                return 0;
            }

            var machine = Machine.Describe(line.Text("pg-version", ""));
            var others = line.Without("work", "pg-version");
            IReadOnlyList<TsvRow> Measured(string file) => TsvRow.ReadAll(Path.Combine(measurements, file));
            string path, text;
            switch (command)
            {
                case "storm":
                    var storm = StormReport.Run.From(others);
                    (path, text) = (storm.Out, StormReport.Write(storm, Measured("storm.tsv"), machine));
                    break;
                case "revocations":
                    var revocations = RevocationsReport.Run.From(others);
                    (path, text) = (revocations.Out, RevocationsReport.Write(revocations, Measured("revocations-throughput.tsv"), Measured("revocations-warmup.tsv"), Measured("revocations-paced.tsv"), machine));
                    break;
                case "scale":
                    var scale = ScaleReport.Run.From(others);
                    (path, text) = (scale.Out, ScaleReport.Write(scale, Measured("scale.tsv"), ReadRecovery(Path.Combine(measurements, "scale-recovery.txt")), machine));
                    break;
                default:
                    var memory = MemoryReport.Run.From(others);
                    (path, text) = (memory.Out, MemoryReport.Write(memory, Measured("memory-step.tsv"), machine));
                    break;
            }

            File.WriteAllText(path, text);
            return 0;
        }
        catch (ArgumentException problem)
        {
            Console.Error.WriteLine($"BenchReport: {problem.Message}");
            return 2;
        }
        catch (InvalidDataException problem)
        {
            Console.Error.WriteLine($"BenchReport: {problem.Message}");
            return 1;
        }
    }

    private static string ReadRecovery(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new InvalidDataException($"{path} is missing: the recovery step did not run");
}
