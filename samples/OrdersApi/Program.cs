using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Revocation.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The API's own token validation, as it was before adopting the registry.
var auth = builder.Configuration.GetSection("Auth");
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
    .AddJwtBearer(options =>
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth["Issuer"],
            ValidAudience = auth["Audience"],
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(auth["SigningKey"]
                ?? throw new InvalidOperationException("Auth:SigningKey is required (base64, at least 32 bytes)."))),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        };
    })
    .AddRevocationCheck(); // the one line: revoked tokens get 401, settings from the RevocationCheck section
builder.Services.AddAuthorization();

// The registry is reached through an Orleans client, wired from the Registry section: here a fixed
// list of the silos' gateways (Clustering=Static); with Clustering=AdoNet (the default) it reads
// them from the registry's membership table (ConnectionStrings:Registry) and finds new silos by
// itself. Mutual TLS from the ClusterTls section; while no gateway answers it keeps retrying and the
// API serves meanwhile (checks fail closed until then).
builder.AddRevocationRegistryClient();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

string[] orders = ["order-1001", "order-1002"];
app.MapGet("/orders", (ClaimsPrincipal user) => new { owner = user.FindFirstValue("sub"), orders })
    .RequireAuthorization();

app.Run();
