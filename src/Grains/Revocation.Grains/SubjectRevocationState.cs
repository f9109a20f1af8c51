namespace Revocation.Grains;

/// <summary>Persisted state of a subject grain (state name <see cref="SubjectGrain.StateName"/>).</summary>
[GenerateSerializer, Alias("Revocation.SubjectRevocationState")]
public sealed class SubjectRevocationState
{
    [Id(0)]
    public DateTimeOffset? NotBefore { get; set; }
}
