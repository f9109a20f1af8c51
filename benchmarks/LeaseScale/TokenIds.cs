using System.Globalization;

/// <summary>
/// Fresh jtis for one harness run: the measured revocations are numbered, so that a node's notices
/// can be matched to them; warm-up revocations carry another prefix and are not matched.
/// </summary>
internal sealed class TokenIds(string run)
{
    private readonly string _measured = $"scale-{run}-m";
    private readonly string _warmUp = $"scale-{run}-w";

    public string Measured(int index) => _measured + index.ToString(CultureInfo.InvariantCulture);

    public string WarmUp(int index) => _warmUp + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of a measured revocation's jti; -1 for any other jti.</summary>
    public int IndexOf(string jti) =>
        jti.StartsWith(_measured, StringComparison.Ordinal)
        && int.TryParse(jti.AsSpan(_measured.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : -1;
}
