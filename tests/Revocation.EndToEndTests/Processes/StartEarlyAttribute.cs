namespace Revocation.EndToEndTests.Processes;

/// <summary>
/// A test class outside <see cref="ProcessClusterCollection"/> that takes long: started before the
/// other parallel tests (<see cref="StartEarlyFirstOrderer"/>), so that the parallel phase does not end
/// with it running alone on a machine with a core to spare.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StartEarlyAttribute : Attribute;
