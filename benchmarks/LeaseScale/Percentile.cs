/// <summary>Nearest-rank percentiles of values sorted in ascending order.</summary>
internal static class Percentile
{
    /// <returns>The value at <paramref name="fraction"/> (0.5, 0.99, 1); NaN for no values.</returns>
    public static double Of(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
