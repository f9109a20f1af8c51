using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Revocation.AspNetCore;

public static class RevocationCheckExtensions
{
    /// <summary>
    /// Adds the revocation check to a JwtBearer scheme: every token that passed validation is
    /// checked against the registry (an <see cref="IGrainFactory"/> must be registered, e.g. by
    /// <c>UseOrleansClient</c>). Revoked → 401 with <c>error="invalid_token"</c>,
    /// <c>error_description="The token has been revoked"</c>; registry unavailable → 503
    /// (or accepted, with <see cref="RevocationFailurePolicy.FailOpen"/>). Settings come from the
    /// <c>RevocationCheck</c> configuration section, then <paramref name="configure"/>.
    /// </summary>
    public static AuthenticationBuilder AddRevocationCheck(
        this AuthenticationBuilder builder,
        string authenticationScheme = JwtBearerDefaults.AuthenticationScheme,
        Action<RevocationCheckOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<RevocationCheckOptions>().BindConfiguration(RevocationCheckOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevocationCheckOptions>, RevocationCheckOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<RevocationMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RevocationChecker>();

        services.AddOptions<JwtBearerOptions>(authenticationScheme).PostConfigure(jwt =>
        {
            var events = jwt.Events ?? new JwtBearerEvents();
            var validated = events.OnTokenValidated;
            var challenge = events.OnChallenge;
            events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is null)
                {
                    await RevocationCheckEvents.OnTokenValidatedAsync(context);
                }
            };
            events.OnChallenge = async context =>
            {
                if (!await RevocationCheckEvents.OnChallengeAsync(context))
                {
                    await challenge(context);
                }
            };
            jwt.Events = events;
        });
        return builder;
    }
}
