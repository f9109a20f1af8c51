using System.Globalization;

namespace Revocation.BenchReport;

/// <summary>
/// One line of a measurement file scripts/bench.sh wrote: tab-separated fields, numbered from 1 as
/// the script's comments and awk number them. A field past the end of the line is empty.
/// </summary>
internal sealed class TsvRow(string[] fields)
{
    public string this[int column] => column >= 1 && column <= fields.Length ? fields[column - 1] : "";

    /// <summary>The field as a number; an empty field is 0 (as awk reads it).</summary>
    /// <exception cref="InvalidDataException">The field holds something that is not a number.</exception>
    public double Number(int column)
    {
        var text = this[column];
        return text.Length == 0 ? 0
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
            : throw new InvalidDataException($"field {column} of the row starting '{this[1]}' is '{text}', not a number");
    }

    /// <summary>Every line of <paramref name="path"/>; none when the step that writes it did not run.</summary>
    public static IReadOnlyList<TsvRow> ReadAll(string path) =>
        File.Exists(path)
            ? [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line => new TsvRow(line.Split('\t')))]
            : [];
}
