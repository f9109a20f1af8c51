namespace Revocation.Silo.Storage;

/// <summary>
/// The migrator's connection belongs to a role that may not change the schema (e.g. the silos'
/// serving role): an operator's setting to fix, reported in one line at start.
/// </summary>
public sealed class SchemaChangeRefusedException(string message, Exception inner) : Exception(message, inner);
