using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;

namespace Revocation.AspNetCore;

/// <summary>
/// Hands the checking handler JwtBearer's own log category. A handler logs under its type's name, so
/// the subclass would log "Bearer was not authenticated" and "Bearer was challenged" for every
/// refused request under <c>Revocation.AspNetCore.*</c>, past the <c>Microsoft.AspNetCore</c> filter
/// the application set for JwtBearer (at Information by default: two lines per replay of a revoked token).
/// </summary>
internal sealed class JwtBearerLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly string Category = typeof(JwtBearerHandler).FullName!;

    public ILogger CreateLogger(string categoryName) => inner.CreateLogger(Category);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The application's factory is not ours to dispose.
    }
}
