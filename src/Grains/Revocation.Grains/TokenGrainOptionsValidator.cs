namespace Revocation.Grains;

/// <summary>Refuses token grain settings that Orleans would reject later or that make no sense.</summary>
public sealed class TokenGrainOptionsValidator : RevocationRowOptionsValidator<TokenGrainOptions>;
