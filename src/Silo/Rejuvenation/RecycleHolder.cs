using System.Globalization;

namespace Revocation.Silo.Rejuvenation;

/// <summary>
/// One silo generation, as <c>OrleansMembershipTable</c> names it. A recycled silo comes back on
/// the same address and port with a newer generation: that is how its turn is known to be over.
/// </summary>
public sealed record RecycleHolder(string Address, int Port, int Generation)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}@{Generation}");
}
