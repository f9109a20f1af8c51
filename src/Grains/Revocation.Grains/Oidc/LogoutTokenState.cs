namespace Revocation.Grains.Oidc;

/// <summary>Persisted state of a logout token's replay grain (state name <see cref="LogoutTokenGrain.StateName"/>).</summary>
[GenerateSerializer, Alias("Revocation.LogoutTokenState")]
public sealed class LogoutTokenState
{
    /// <summary>Until when a delivery of the token is a replay; <c>null</c>: never recorded.</summary>
    [Id(0)]
    public DateTimeOffset? SeenUntil { get; set; }
}
