using System.Text;

namespace Revocation.BenchReport;

/// <summary>A report's text, line by line ('\n' endings whatever the platform), opened by its title and, in a smoke run, the warning that its numbers mean nothing.</summary>
internal sealed class Markdown
{
    private readonly StringBuilder _text = new();

    /// <param name="title">The report's heading, without the <c>#</c>.</param>
    /// <param name="smokeWarning">The bold line a smoke run's report opens with; <c>null</c> in a full run.</param>
    public Markdown(string title, string? smokeWarning)
    {
        Line($"# {title}");
        Line();
        if (smokeWarning is not null)
        {
            Line($"**{smokeWarning}**");
            Line();
        }
    }

    public void Line(string line = "") => _text.Append(line).Append('\n');

    /// <summary>Lines already ended (a block such as <see cref="Machine.Describe"/>'s), once each; nothing for an empty block.</summary>
    public void Block(string lines)
    {
        var trimmed = lines.TrimEnd('\n');
        if (trimmed.Length > 0)
        {
            Line(trimmed);
        }
    }

    public override string ToString() => _text.ToString();
}
