namespace Revocation.Grains;

/// <summary>An activation that <see cref="ActivationCap"/> may evict to stay under its limit.</summary>
public interface ICappedActivation
{
    /// <summary>Whether the activation answered a call since the last time this was asked; clears the mark.</summary>
    bool TakeRecentUse();

    /// <summary>Starts deactivating the activation; calls that arrive later activate it again.</summary>
    void Evict();
}
