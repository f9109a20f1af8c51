using Revocation.Abstractions;
using Revocation.AspNetCore.NearCache;

namespace Revocation.UnitTests.NearCache;

/// <summary>The near cache's keys share one string per issuer, for a bounded number of issuers.</summary>
public sealed class IssuerNamesTests
{
    // Two equal names that are different strings, as two tokens' parsed iss claims are.
    private static string Fresh(string name) => new(name.AsSpan());

    [Fact]
    public void EqualIssuersOfDifferentTokens_GetOneString_AndTheKeyKeepsItsValue()
    {
        var names = new IssuerNames();
        var first = names.Share(new IssuerKey(Fresh("https://issuer.example"), "jti-1"));
        var second = names.Share(new IssuerKey(Fresh("https://issuer.example"), "jti-2"));

        Assert.Same(first.Issuer, second.Issuer);
        Assert.Equal(new IssuerKey("https://issuer.example", "jti-2"), second);
    }

    [Fact]
    public void PastTheMostIssuers_AKeyKeepsItsOwnString_AndTheSharedOnesStayShared()
    {
        var names = new IssuerNames();
        var early = names.Share(new IssuerKey(Fresh("issuer-0"), "a")).Issuer;
        for (var i = 1; i < IssuerNames.MostIssuers; i++)
        {
            names.Share(new IssuerKey(Fresh($"issuer-{i}"), "a"));
        }

        var late = Fresh("issuer-late");
        var kept = names.Share(new IssuerKey(late, "a"));
        var lateAgain = names.Share(new IssuerKey(Fresh("issuer-late"), "a"));

        Assert.Same(late, kept.Issuer);
        Assert.NotSame(kept.Issuer, lateAgain.Issuer); // not shared: the table is full
        Assert.Same(early, names.Share(new IssuerKey(Fresh("issuer-0"), "b")).Issuer);
    }
}
