namespace Revocation.IntegrationTests.Api;

/// <summary>The API tests' shared <see cref="ApiNode"/>: two real silos and one API node, started once.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiNode>
{
    public const string Name = "api node on two real silos";
}
