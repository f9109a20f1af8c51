using Revocation.Api.CheckModes;
using Revocation.AspNetCore;

namespace Revocation.Api.Registry;

/// <summary>Session revocation was asked of a node that does not check sessions (a Database mode).</summary>
public sealed class SessionRevocationUnsupportedException(CheckMode mode) : UnenforceableRevocationException(
    "Session revocation is not checked in this mode",
    $"Session revocation is checked only with {CheckModeOptions.SectionName}:{nameof(CheckModeOptions.Mode)}=Grain; this node runs {mode}.");
