using Microsoft.AspNetCore.Http.HttpResults;
using Revocation.Api.Authentication;

namespace Revocation.Api.Endpoints;

/// <summary>
/// The issuer an admin request means: its query parameter <c>iss</c>, or — left out — the one issuer
/// this node trusts. With several trusted (<c>Jwt:Issuers</c>) it must be named: a jti or sub alone
/// does not say whose it is, and guessing could revoke (or report) another issuer's token. An issuer
/// named that this node does not trust is refused (400): none of its tokens is accepted here.
/// </summary>
internal sealed class AdminIssuer(IssuerTrust trust)
{
    /// <summary><c>null</c> and the issuer when resolved; otherwise the 400 to answer.</summary>
    public ValidationProblem? Resolve(string? iss, out string issuer)
    {
        if (iss is not null)
        {
            // No token of an issuer this node does not trust is accepted here: a revocation for one
            // would be a row that protects nothing (or a typo that protects nothing either).
            issuer = iss;
            return trust.Issuers.Contains(iss, StringComparer.Ordinal)
                ? null
                : TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["iss"] = [$"iss is not one of the {trust.Issuers.Count} issuers this node trusts ({JwtOptions.SectionName}:{nameof(JwtOptions.Issuers)}); nothing was done."],
                });
        }

        if (trust.Issuers is [var only])
        {
            issuer = only;
            return null;
        }

        issuer = "";
        return TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["iss"] = [$"This node trusts {trust.Issuers.Count} issuers ({JwtOptions.SectionName}:{nameof(JwtOptions.Issuers)}); name the token's issuer with ?iss=."],
        });
    }
}
