using System.Globalization;

/// <summary>"--name value" pairs after the command, read with a default for each name left out.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private CommandLine()
    {
    }

    /// <exception cref="ArgumentException">An argument is not part of a "--name value" pair.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            line._values[args[i][2..]] = args[i + 1];
        }

        return line;
    }

    public int Int(string name, int otherwise) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : otherwise;

    public double Double(string name, double otherwise) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : otherwise;

    public TimeSpan Seconds(string name, double otherwise) => TimeSpan.FromSeconds(Double(name, otherwise));

    public string Text(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public string Text(string name, string otherwise) => _values.GetValueOrDefault(name, otherwise);
}
