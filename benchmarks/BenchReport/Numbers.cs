using System.Globalization;

namespace Revocation.BenchReport;

/// <summary>How the reports print numbers and judge targets: invariant culture, the rounding printf's formats show.</summary>
internal static class Numbers
{
    public static string Fixed(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A figure printed by <see cref="Fixed"/>, read back (ratios are taken of the figures as shown).</summary>
    public static double Parse(string shown) => double.Parse(shown, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> / <paramref name="of"/> to two decimals, or <c>n/a</c> when there is nothing to divide by.</summary>
    public static string Ratio(double value, double of) => of > 0 ? Fixed(value / of, 2) : "n/a";

    /// <summary>
    /// Whether a printed figure meets its target, judged on the figure as printed (a ratio shown as
    /// 0.97 meets "≥ 0.97"); a figure that is not a number (<c>n/a</c>) meets none.
    /// </summary>
    public static string Met(string shown, Target target, double threshold)
    {
        if (!double.TryParse(shown, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return "**no**";
        }

        var met = target == Target.AtLeast ? value >= threshold : value <= threshold;
        return met ? "yes" : "**no**";
    }

    /// <summary>A whole number as printf's <c>%d</c> shows a computed value: the fraction cut off.</summary>
    public static string Whole(double value) => ((long)value).ToString(CultureInfo.InvariantCulture);

    /// <summary>As printf's <c>%+d</c>.</summary>
    public static string SignedWhole(double value) => ((long)value >= 0 ? "+" : "") + Whole(value);
}

internal enum Target
{
    AtLeast,
    AtMost,
}
