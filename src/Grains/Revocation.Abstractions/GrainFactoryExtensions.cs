namespace Revocation.Abstractions;

/// <summary>Typed access to registry grains with the input rules applied before any network call.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The token grain for <paramref name="jti"/> of <paramref name="issuer"/> (key: <see cref="IssuerKey.ToGrainKey"/>).</summary>
    /// <exception cref="TokenInputException">The issuer breaks <see cref="TokenInput.CheckIssuer"/> or the jti <see cref="TokenInput.CheckJti"/>.</exception>
    public static ITokenGrain GetTokenGrain(this IGrainFactory grains, string issuer, string jti)
    {
        TokenInput.ValidateIssuer(issuer);
        TokenInput.ValidateJti(jti);
        return StringKeyedGrain<ITokenGrain>.Get(grains, new IssuerKey(issuer, jti).ToGrainKey());
    }

    /// <summary>The subject grain for <paramref name="sub"/> of <paramref name="issuer"/> (key: <see cref="IssuerKey.ToGrainKey"/>).</summary>
    /// <exception cref="TokenInputException">The issuer breaks <see cref="TokenInput.CheckIssuer"/> or the subject <see cref="TokenInput.CheckSubject"/>.</exception>
    public static ISubjectGrain GetSubjectGrain(this IGrainFactory grains, string issuer, string sub)
    {
        TokenInput.ValidateIssuer(issuer);
        TokenInput.ValidateSubject(sub);
        return StringKeyedGrain<ISubjectGrain>.Get(grains, new IssuerKey(issuer, sub).ToGrainKey());
    }

    /// <summary>The session grain for <paramref name="sid"/> of <paramref name="issuer"/> (key: <see cref="IssuerKey.ToGrainKey"/>).</summary>
    /// <exception cref="TokenInputException">The issuer breaks <see cref="TokenInput.CheckIssuer"/> or the session id <see cref="TokenInput.CheckSession"/>.</exception>
    public static ISessionGrain GetSessionGrain(this IGrainFactory grains, string issuer, string sid)
    {
        TokenInput.ValidateIssuer(issuer);
        TokenInput.ValidateSession(sid);
        return StringKeyedGrain<ISessionGrain>.Get(grains, new IssuerKey(issuer, sid).ToGrainKey());
    }

    /// <summary>
    /// The replay grain of a token an identity provider delivered (a logout token, a SET): <paramref name="jti"/> of
    /// <paramref name="issuer"/> (key: <see cref="IssuerKey.ToGrainKey"/>).
    /// </summary>
    /// <exception cref="TokenInputException">The issuer breaks <see cref="TokenInput.CheckIssuer"/> or the jti <see cref="TokenInput.CheckJti"/>.</exception>
    public static IReceivedTokenGrain GetReceivedTokenGrain(this IGrainFactory grains, string issuer, string jti)
    {
        TokenInput.ValidateIssuer(issuer);
        TokenInput.ValidateJti(jti);
        return StringKeyedGrain<IReceivedTokenGrain>.Get(grains, new IssuerKey(issuer, jti).ToGrainKey());
    }
}
