namespace Revocation.Grains.Leases;

/// <summary>Which client an Orleans object reference belongs to.</summary>
internal static class LeaseHolders
{
    /// <summary>Orleans separates a client's id from an object's own part in an observer's key with this.</summary>
    private const byte ObserverSeparator = (byte)'+';

    /// <summary>
    /// Whether <paramref name="listener"/> is an object (observer) created by client <paramref name="caller"/>:
    /// an observer's id is its client's id with <c>+</c> and the object's own part appended.
    /// </summary>
    public static bool IsListenerOf(GrainId listener, GrainId? caller)
    {
        if (caller is not { } client || !client.IsClient() || listener.Type != client.Type)
        {
            return false;
        }

        var clientKey = client.Key.AsSpan();
        var listenerKey = listener.Key.AsSpan();
        return listenerKey.Length > clientKey.Length + 1
            && listenerKey.StartsWith(clientKey)
            && listenerKey[clientKey.Length] == ObserverSeparator;
    }
}
