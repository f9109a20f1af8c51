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

    /// <exception cref="ArgumentException">The value given is not a whole number.</exception>
    public int Int(string name, int otherwise) =>
        !_values.TryGetValue(name, out var v) ? otherwise
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number
        : throw new ArgumentException($"--{name} takes a whole number, got '{v}'");

    /// <exception cref="ArgumentException">The value given is not a whole number of at least <paramref name="least"/>.</exception>
    public int AtLeast(string name, int otherwise, int least)
    {
        var value = Int(name, otherwise);
        return value >= least ? value : throw new ArgumentException($"--{name} must be at least {least}, got {value}");
    }

    /// <exception cref="ArgumentException">The value given is not a number.</exception>
    public double Double(string name, double otherwise) =>
        !_values.TryGetValue(name, out var v) ? otherwise
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : throw new ArgumentException($"--{name} takes a number, got '{v}'");

    /// <exception cref="ArgumentException">The value given is neither true nor false.</exception>
    public bool Flag(string name) =>
        !_values.TryGetValue(name, out var v) ? false
        : bool.TryParse(v, out var flag) ? flag
        : throw new ArgumentException($"--{name} takes true or false, got '{v}'");

    /// <summary>The same pairs without <paramref name="names"/> (those read already).</summary>
    public CommandLine Without(params string[] names)
    {
        var rest = new CommandLine();
        foreach (var (name, value) in _values.Where(pair => !names.Contains(pair.Key)))
        {
            rest._values[name] = value;
        }

        return rest;
    }

    /// <summary>The names given that are not in <paramref name="known"/>: a misspelt option is refused, not ignored.</summary>
    /// <exception cref="ArgumentException">A name is not known.</exception>
    public void RefuseOthers(IReadOnlyCollection<string> known)
    {
        var unknown = _values.Keys.FirstOrDefault(name => !known.Contains(name));
        if (unknown is not null)
        {
            throw new ArgumentException($"--{unknown} is not an option here (options: {string.Join(", ", known.Select(k => "--" + k))})");
        }
    }

    public TimeSpan Seconds(string name, double otherwise) => TimeSpan.FromSeconds(Double(name, otherwise));

    public string Text(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public string Text(string name, string otherwise) => _values.GetValueOrDefault(name, otherwise);
}
