using Microsoft.Extensions.Options;
using Revocation.Abstractions;

namespace Revocation.Grains.Leases;

/// <summary>Refuses lease settings that would make revocations wait too long or leases useless.</summary>
public sealed class NodeLeaseOptionsValidator : IValidateOptions<NodeLeaseOptions>
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, NodeLeaseOptions options)
    {
        if (options.LeaseDuration < Shortest || options.LeaseDuration > Longest)
        {
            return ValidateOptionsResult.Fail(
                $"{NodeLeaseOptions.SectionName}:{nameof(options.LeaseDuration)} must be between {Shortest} and {Longest} (was {options.LeaseDuration}): " +
                "a revocation waits up to this long for an API node that does not answer.");
        }

        return options.Partitions is < 1 or > LeasePartitions.MaxCount
            ? ValidateOptionsResult.Fail(
                $"{NodeLeaseOptions.SectionName}:{nameof(options.Partitions)} must be from 1 to {LeasePartitions.MaxCount} (was {options.Partitions}).")
            : ValidateOptionsResult.Success;
    }
}
