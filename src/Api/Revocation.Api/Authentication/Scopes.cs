using System.Security.Claims;

namespace Revocation.Api.Authentication;

/// <summary>OAuth scopes of a principal: a space-separated <c>scope</c> claim (RFC 9068), or <c>scp</c> claims.</summary>
public static class Scopes
{
    public const string Admin = "admin";

    public static bool Has(ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").Concat(user.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
