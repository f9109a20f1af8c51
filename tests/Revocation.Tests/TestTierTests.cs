using System.Reflection;
using Revocation.Tests.Infrastructure;

namespace Revocation.Tests;

/// <summary>Every test class names its tier, once: scripts/test.sh runs the suite tier by tier, and a class without one would never run.</summary>
[Trait("Category", "Unit")]
public sealed class TestTierTests
{
    private static readonly string[] Tiers = [TestTier.Unit, TestTier.Integration, TestTier.EndToEnd];

    [Fact]
    public void EveryTestClass_CarriesExactlyOneKnownTier()
    {
        var testClasses = typeof(TestTierTests).Assembly.GetTypes()
            .Where(type => type.GetMethods().Any(method => method.GetCustomAttributes<FactAttribute>().Any()))
            .ToList();
        var wrong = testClasses
            .Select(type => (type, tiers: type.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Category")
                .Select(a => (string?)a.ConstructorArguments[1].Value)
                .ToList()))
            .Where(t => t.tiers.Count != 1 || !Tiers.Contains(t.tiers[0]))
            .Select(t => $"{t.type.FullName}: [{string.Join(", ", t.tiers)}]")
            .ToList();

        Assert.True(testClasses.Count > 50, $"Only {testClasses.Count} test classes found: the scan is broken.");
        Assert.True(wrong.Count == 0, "Test classes without exactly one Category trait of " + string.Join("/", Tiers) + ":\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void ATierRun_RefusesWhatItsTierMayNotUse()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => TestTier.Check(TestTier.Unit, "a PostgreSQL database", TestTier.Integration));
        Assert.Contains("[Trait(\"Category\", \"Integration\")]", refused.Message);
        Assert.Throws<InvalidOperationException>(() => TestTier.Check(TestTier.Integration, "a cluster of real processes", TestTier.EndToEnd));
        TestTier.Check(TestTier.Unit, "nothing", TestTier.Unit);
        TestTier.Check(TestTier.EndToEnd, "a PostgreSQL database", TestTier.Integration);
        TestTier.Check(null, "a cluster of real processes", TestTier.EndToEnd);
        Assert.Throws<InvalidOperationException>(() => TestTier.Check("units", "nothing", TestTier.Unit));
    }
}
