using Revocation.Hosting;

namespace Revocation.UnitTests.Deployment;

/// <summary>Which connection strings send the database password and rows across a network in clear.</summary>
public sealed class DatabaseTransportTests
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=registry", "")]
    [InlineData("Host=localhost;Port=5432", "")]
    [InlineData("Host=/var/run/postgresql", "")]
    [InlineData("Host=::1", "")]
    [InlineData("Host=[::1]:5433", "")]
    [InlineData("Host=db.example.internal", "db.example.internal")]
    [InlineData("Host=db.example.internal:5433;SSL Mode=Prefer", "db.example.internal")]
    [InlineData("Host=10.0.0.5;SSL Mode=Disable", "10.0.0.5")]
    [InlineData("Host=127.0.0.1,db2.example.internal", "db2.example.internal")]
    [InlineData("Host=db.example.internal;SSL Mode=Require", "")]
    [InlineData("Host=db.example.internal;SSL Mode=VerifyCA", "")]
    [InlineData("Host=db.example.internal;SSL Mode=VerifyFull", "")]
    [InlineData("", "")]
    public void HostsWithoutTls_AreTheNonLoopbackHostsWithoutRequiredTls(string connectionString, string expected)
    {
        Assert.Equal(expected, string.Join(",", DatabaseTransport.HostsWithoutTls(connectionString)));
    }
}
