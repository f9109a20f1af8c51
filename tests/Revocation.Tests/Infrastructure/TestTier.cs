namespace Revocation.Tests.Infrastructure;

/// <summary>
/// The three tiers of the suite, as the <c>Category</c> trait names them: <c>Unit</c> (nothing
/// outside the test process), <c>Integration</c> (PostgreSQL, in-process silos and API hosts),
/// <c>EndToEnd</c> (real processes). <c>scripts/test.sh</c> runs each tier alone with
/// <c>REGISTRY_TEST_TIER</c> set; a test that reaches for more than its tier fails at once, naming
/// the trait it should carry, so the tiers stay true.
/// </summary>
public static class TestTier
{
    public const string Unit = "Unit";
    public const string Integration = "Integration";
    public const string EndToEnd = "EndToEnd";

    private static readonly string[] Order = [Unit, Integration, EndToEnd];

    /// <summary>Fails unless the running tier (if scripts/test.sh set one) may use <paramref name="resource"/>.</summary>
    /// <param name="resource">What the test is about to use, e.g. "a PostgreSQL database".</param>
    /// <param name="needs">The lowest tier allowed to use it.</param>
    public static void Require(string resource, string needs) =>
        Check(Environment.GetEnvironmentVariable("REGISTRY_TEST_TIER"), resource, needs);

    /// <summary><see cref="Require"/> for a given running tier (null or empty: none).</summary>
    public static void Check(string? running, string resource, string needs)
    {
        if (string.IsNullOrEmpty(running))
        {
            return; // a run of everything (dotnet test, an IDE): no tier to hold to
        }

        var runningLevel = Array.FindIndex(Order, tier => string.Equals(tier, running, StringComparison.OrdinalIgnoreCase));
        if (runningLevel < 0)
        {
            throw new InvalidOperationException($"REGISTRY_TEST_TIER is '{running}'; expected one of {string.Join(", ", Order)}.");
        }

        if (runningLevel < Array.IndexOf(Order, needs))
        {
            throw new InvalidOperationException(
                $"A test of the {Order[runningLevel]} tier uses {resource}: mark its class [Trait(\"Category\", \"{needs}\")] (see README, Two commands).");
        }
    }
}
