using Revocation.AspNetCore;

namespace Revocation.Api.Registry;

/// <summary>Session revocation was asked of a node that does not check sessions (a Database mode).</summary>
public sealed class SessionRevocationUnsupportedException(RevocationCheckMode mode) : UnenforceableRevocationException(
    "Session revocation is not checked in this mode",
    $"Session revocation is checked only with {RevocationCheckOptions.SectionName}:{nameof(RevocationCheckOptions.Mode)}=Grain; this node runs {mode}.");
