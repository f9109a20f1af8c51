using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Revocation.EndToEndTests.Processes.StartEarlyFirstOrderer", "Revocation.EndToEndTests")]

namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// Orders the test collections: the classes marked <see cref="StartEarlyAttribute"/> first, the
/// others after them by name. (xunit runs the collections that allow parallelization first, as
/// many at a time as there are cores, in this order, then <see cref="ProcessClusterCollection"/>.)
/// </summary>
public sealed class StartEarlyFirstOrderer : ITestCollectionOrderer
{
    /// <summary>How xunit names the collection it makes for a class that names none.</summary>
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(collection => StartsEarly(collection) ? 0 : 1).ThenBy(collection => collection.DisplayName, StringComparer.Ordinal);

    private static bool StartsEarly(ITestCollection collection) =>
        collection.CollectionDefinition is null
        && collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
        && typeof(StartEarlyFirstOrderer).Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..]) is { } testClass
        && Attribute.IsDefined(testClass, typeof(StartEarlyAttribute));
}
