using System.Globalization;

namespace Revocation.Silo.Rejuvenation;

/// <summary>Sizes written as a number of bytes, optionally with a unit: <c>800000000</c>, <c>800MB</c>, <c>768MiB</c>, <c>2GiB</c>.</summary>
public static class ByteSize
{
    private static readonly (string Unit, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var factor = 1L;
        foreach (var (unit, unitFactor) in Units)
        {
            if (trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^unit.Length].TrimEnd();
                factor = unitFactor;
                break;
            }
        }

        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > long.MaxValue / factor)
        {
            return false;
        }

        bytes = number * factor;
        return true;
    }
}
