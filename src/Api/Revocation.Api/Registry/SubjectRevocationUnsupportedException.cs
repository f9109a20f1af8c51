using Revocation.Api.CheckModes;
using Revocation.AspNetCore;

namespace Revocation.Api.Registry;

/// <summary>
/// Subject-wide revocation was asked of a node that does not check subjects (another check mode,
/// or CheckSubject off): acknowledging it would leave the subject's tokens accepted here.
/// </summary>
public sealed class SubjectRevocationUnsupportedException(CheckMode mode) : UnenforceableRevocationException(
    "Subject-wide revocation is not checked in this mode",
    $"Subject-wide revocation (log out everywhere) is checked only with {CheckModeOptions.SectionName}:{nameof(CheckModeOptions.Mode)}=Grain and {RevocationCheckOptions.SectionName}:{nameof(RevocationCheckOptions.CheckSubject)} on; this node runs {mode} with subject checks off.");
