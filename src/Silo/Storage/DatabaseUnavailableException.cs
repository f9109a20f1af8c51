namespace Revocation.Silo.Storage;

/// <summary>The registry database could not be reached or used at startup.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? innerException)
    : Exception(message, innerException);
