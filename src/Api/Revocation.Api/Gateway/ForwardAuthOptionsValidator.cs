using Microsoft.Extensions.Options;

namespace Revocation.Api.Gateway;

internal sealed class ForwardAuthOptionsValidator : IValidateOptions<ForwardAuthOptions>
{
    /// <summary>
    /// Headers the answer itself or the gateway's handling of it depends on: an identity header of
    /// that name would corrupt the answer or be dropped on the way.
    /// </summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Cache-Control", "Connection", "Content-Length", "Content-Type", "Date", "Host",
        "Keep-Alive", "Retry-After", "Server", "Set-Cookie", "Trailer", "Transfer-Encoding", "Upgrade",
        "WWW-Authenticate",
    };

    public ValidateOptionsResult Validate(string? name, ForwardAuthOptions options)
    {
        const string S = ForwardAuthOptions.SectionName + ":" + nameof(ForwardAuthOptions.Headers);
        var failures = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, header) in options.Headers.All)
        {
            if (string.IsNullOrEmpty(header) || !header.All(IsTokenChar))
            {
                failures.Add($"{S}:{setting} must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ only (was '{header}').");
            }
            else if (Reserved.Contains(header))
            {
                failures.Add($"{S}:{setting} names {header}, which the forward-auth answer or the gateway itself uses; choose another name (e.g. X-Auth-{setting}).");
            }
            else if (seen.TryGetValue(header, out var other))
            {
                failures.Add($"{S}:{setting} and {S}:{other} both name {header}; each identity header needs a name of its own.");
            }
            else
            {
                seen[header] = setting;
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>RFC 9110 §5.6.2 tchar.</summary>
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
