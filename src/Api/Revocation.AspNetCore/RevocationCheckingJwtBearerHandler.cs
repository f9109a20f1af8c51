using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Revocation.AspNetCore;

/// <summary>
/// JwtBearer with the revocation check built into the handler rather than into the application's
/// events: whatever the application configures (<see cref="JwtBearerOptions.Events"/>,
/// <see cref="Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions.EventsType"/>, its own
/// <c>OnTokenValidated</c> calling <c>Success()</c>), every token that passed validation is checked.
/// </summary>
internal sealed class RevocationCheckingJwtBearerHandler(
    IOptionsMonitor<JwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : JwtBearerHandler(options, new JwtBearerLoggerFactory(logger), encoder)
{
    protected override async Task InitializeEventsAsync()
    {
        // The base picks the application's events (Events, or EventsType from the request's services).
        await base.InitializeEventsAsync();
        Events = new RevocationCheckEvents(Events);
    }
}
