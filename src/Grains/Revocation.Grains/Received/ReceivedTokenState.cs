namespace Revocation.Grains.Received;

/// <summary>Persisted state of a delivered token's replay grain (state name <see cref="ReceivedTokenGrain.StateName"/>).</summary>
[GenerateSerializer, Alias("Revocation.ReceivedTokenState")]
public sealed class ReceivedTokenState
{
    /// <summary>Until when a delivery of the token is a replay; <c>null</c>: never recorded.</summary>
    [Id(0)]
    public DateTimeOffset? SeenUntil { get; set; }
}
