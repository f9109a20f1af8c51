namespace Revocation.Grains;

/// <summary>How token grains cache, bound from the <c>TokenGrain</c> configuration section.</summary>
public sealed class TokenGrainOptions : RevocationRowOptions
{
    public const string SectionName = "TokenGrain";

    public override string Section => SectionName;
}
