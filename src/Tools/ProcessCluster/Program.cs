using System.Globalization;
using System.Text.RegularExpressions;
using Revocation.ProcessCluster;

// scripts/cluster.sh runs this (from the repository's root); its header documents the commands.
const string Usage = "usage: scripts/cluster.sh up [--silos N] [--apis M] [--no-build] | status | pid silo-I|api-J | add-silo | restart-silo I | restart-api J | client-env | down [--kill]";

try
{
    var layout = ClusterLayout.FromEnvironment();
    var commands = new ClusterCommands(layout);
    switch (args)
    {
        case ["up", .. var options]:
            var (silos, apis, build) = UpOptions(options);
            await commands.UpAsync(silos, apis, build);
            return 0;
        case ["down"]:
            await commands.DownAsync();
            return 0;
        case ["down", "--kill"]:
            await commands.KillAsync();
            return 0;
        case ["down", var other, ..]:
            throw new ClusterError($"down takes no argument but --kill (was '{other}')");
        case ["status"]:
            return commands.Status();
        case ["pid", .. var rest]:
            var process = rest is [var name] ? name : "";
            if (!ProcessName().IsMatch(process))
            {
                throw new ClusterError($"pid takes silo-I or api-J, e.g. silo-0 (was '{process}')");
            }

            commands.Pid(process);
            return 0;
        case ["add-silo"]:
            await commands.AddSiloAsync();
            return 0;
        case ["restart-silo", .. var rest]:
            await commands.RestartSiloAsync(Index("restart-silo I", rest));
            return 0;
        case ["restart-api", .. var rest]:
            await commands.RestartApiAsync(Index("restart-api J", rest));
            return 0;
        case ["client-env"]:
            commands.ClientEnv();
            return 0;
        case ["supervise-silo", var index]:
            return await new SiloSupervisor(layout, ClusterState.Load(layout), Index("supervise-silo I", [index])).RunAsync();
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (ClusterError error)
{
    Console.Error.WriteLine($"cluster.sh: {error.Message}");
    return 1;
}

// A process index: 0, 1, … — nothing else (restart-silo 0.supervisor once stopped silo 0 for good).
static int Index(string what, string[] rest)
{
    var text = rest is [var value] ? value : "";
    return IndexPattern().IsMatch(text)
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : throw new ClusterError($"{what} must be a number such as 0 or 1 (was '{text}')");
}

static (int Silos, int Apis, bool Build) UpOptions(string[] options)
{
    var (silos, apis, build) = (1, 1, true);
    for (var k = 0; k < options.Length; k++)
    {
        switch (options[k])
        {
            case "--silos" when k + 1 < options.Length:
                silos = Count("--silos", options[++k]);
                break;
            case "--apis" when k + 1 < options.Length:
                apis = Count("--apis", options[++k]);
                break;
            case "--no-build":
                build = false;
                break;
            default:
                throw new ClusterError($"unknown option {options[k]} ({Usage})");
        }
    }

    return silos >= 1 ? (silos, apis, build) : throw new ClusterError("--silos must be at least 1");
}

static int Count(string option, string text) =>
    IndexPattern().IsMatch(text) && int.Parse(text, CultureInfo.InvariantCulture) <= 99
        ? int.Parse(text, CultureInfo.InvariantCulture)
        : throw new ClusterError($"{option} takes a count from 0 to 99 (was '{text}')");

internal static partial class Program
{
    [GeneratedRegex("^(0|[1-9][0-9]*)$")]
    private static partial Regex IndexPattern();

    [GeneratedRegex("^(silo|api)-(0|[1-9][0-9]*)$")]
    private static partial Regex ProcessName();
}
