using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Orleans.Configuration;
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

// The registry is reached through an Orleans client: the silos' gateways, the cluster and service ids.
// A deployment that lets new silos be found by themselves reads the gateways from the registry's
// membership table instead (Microsoft.Orleans.Clustering.AdoNet: UseAdoNetClustering).
// UseRegistryTls: mutual TLS to the gateways with this API's certificate (ClusterTls section).
var registry = builder.Configuration.GetSection("Registry");
builder.UseOrleansClient(client => client
    .UseRegistryTls()
    .UseStaticClustering([.. (registry.GetSection("Gateways").Get<string[]>() ?? []).Select(IPEndPoint.Parse)])
    .Configure<ClusterOptions>(cluster =>
    {
        cluster.ClusterId = registry["ClusterId"] ?? "dev";
        cluster.ServiceId = registry["ServiceId"] ?? "revocation-registry";
    }));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

string[] orders = ["order-1001", "order-1002"];
app.MapGet("/orders", (ClaimsPrincipal user) => new { owner = user.FindFirstValue("sub"), orders })
    .RequireAuthorization();

app.Run();
