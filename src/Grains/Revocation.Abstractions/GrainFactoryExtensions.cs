namespace Revocation.Abstractions;

/// <summary>Typed access to registry grains with the input rules applied before any network call.</summary>
public static class GrainFactoryExtensions
{
    /// <summary>The token grain for <paramref name="jti"/>.</summary>
    /// <exception cref="TokenInputException">The jti breaks <see cref="TokenInput.CheckJti"/>.</exception>
    public static ITokenGrain GetTokenGrain(this IGrainFactory grains, string jti)
    {
        TokenInput.ValidateJti(jti);
        return grains.GetGrain<ITokenGrain>(jti);
    }

    /// <summary>The subject grain for <paramref name="sub"/>.</summary>
    /// <exception cref="TokenInputException">The subject breaks <see cref="TokenInput.CheckSubject"/>.</exception>
    public static ISubjectGrain GetSubjectGrain(this IGrainFactory grains, string sub)
    {
        TokenInput.ValidateSubject(sub);
        return grains.GetGrain<ISubjectGrain>(sub);
    }
}
