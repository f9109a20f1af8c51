using Revocation.Abstractions;

namespace Revocation.AspNetCore.Lookups;

/// <summary>
/// Every check asked of the grains (the near cache disabled): the token grain, the session grain of a token with a
/// <c>sid</c> and, when asked, the subject grain, concurrently; all answer from silo memory.
/// </summary>
internal sealed class GrainLookup(GrainQuestions registry) : IRevocationLookup
{
    private static readonly Task<bool> NotRevokedByJti = Task.FromResult(false);
    private static readonly Task<SubjectStatus> NoSubjectRule = Task.FromResult(SubjectStatus.None);
    private static readonly Task<bool> NoSession = Task.FromResult(false);

    public string Mode => "grain";

    public async Task<LookupResult> LookupAsync(TokenIdentity token, bool checkSubject, CancellationToken cancellationToken)
    {
        // Grain calls cannot be cancelled; the checker stops waiting at its timeout.
        var byJti = token.Jti is null ? NotRevokedByJti : registry.IsRevokedAsync(token.TokenKey, cancellationToken);
        var bySubject = checkSubject && token.Subject is not null ? registry.SubjectAsync(token.SubjectKey, cancellationToken) : NoSubjectRule;
        var bySession = token.SessionId is null ? NoSession : registry.IsSessionRevokedAsync(token.SessionKey, cancellationToken);
        await Task.WhenAll(byJti, bySubject, bySession);
        if (byJti.Result)
        {
            return LookupResult.RevokedByJti;
        }

        if (bySession.Result)
        {
            return LookupResult.RevokedBySession;
        }

        return checkSubject && bySubject.Result.Revokes(token.IssuedAt!.Value) ? LookupResult.RevokedBySubject : LookupResult.NotRevoked;
    }

    public void Revoked(IssuerKey token)
    {
        // Nothing is held here: the grain already answers "revoked".
    }
}
