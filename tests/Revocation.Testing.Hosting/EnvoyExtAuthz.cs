using Grpc.Core;
using Grpc.Net.Client;
using Revocation.Api.Gateway.ExtAuthz;

namespace Revocation.Testing.Hosting;

/// <summary>What Envoy's ext_authz filter does: <c>Check</c> over gRPC, the request's headers lower-cased.</summary>
public static class EnvoyExtAuthz
{
    private static readonly Method<CheckRequest, CheckResponse> Check = new(
        MethodType.Unary, "envoy.service.auth.v3.Authorization", "Check",
        Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), CheckRequest.Parser.ParseFrom),
        Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), CheckResponse.Parser.ParseFrom));

    /// <summary>Asks <paramref name="node"/> about a GET of <paramref name="path"/> carrying <paramref name="headers"/>.</summary>
    public static Task<CheckResponse> CheckAsync(ApiFactory node, IDictionary<string, string> headers, string path = "/orders/42", bool rawHeaders = false)
    {
        node.StartServer();
        return CheckAsync(node.GrpcPort, headers, path, rawHeaders);
    }

    /// <summary>Asks the node whose cleartext HTTP/2 endpoint is on loopback port <paramref name="grpcPort"/>.</summary>
    public static async Task<CheckResponse> CheckAsync(int grpcPort, IDictionary<string, string> headers, string path = "/orders/42", bool rawHeaders = false)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var http = new AttributeContext.Types.HttpRequest { Method = "GET", Path = path, Host = "api.example" };
        if (rawHeaders)
        {
            http.HeaderMap = new HeaderMap();
            http.HeaderMap.Headers.AddRange(headers.Select(h => new HeaderValue { Key = h.Key, RawValue = Google.Protobuf.ByteString.CopyFromUtf8(h.Value) }));
        }
        else
        {
            http.Headers.Add(headers);
        }

        var request = new CheckRequest { Attributes = new AttributeContext { Request = new AttributeContext.Types.Request { Http = http } } };
        return await channel.CreateCallInvoker().AsyncUnaryCall(Check, null, new CallOptions(), request);
    }

    public static Dictionary<string, string> Bearer(string token) => new() { ["authorization"] = $"Bearer {token}" };
}
