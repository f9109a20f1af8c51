using System.Text.Json.Nodes;
using static Revocation.Testing.YamlDocuments;

namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// The objects <c>kubectl kustomize deploy/kubernetes/overlays/example</c> renders, as JSON trees
/// (YamlDotNet reads the YAML; every scalar becomes a JSON string). Rendered once per test run.
/// </summary>
public sealed class RenderedManifests
{
    public const string Overlay = "example";

    private static readonly Lazy<Task<RenderedManifests>> Rendered = new(RenderAsync);

    private RenderedManifests(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public static Task<RenderedManifests> GetAsync() => Rendered.Value;

    /// <summary>The one object of this kind and name (in <paramref name="namespace"/>, when given: silos and API nodes each have theirs).</summary>
    public JsonObject Named(string kind, string name, string? @namespace = null) =>
        Objects.SingleOrDefault(o => Str(o["kind"]) == kind && Str(o["metadata"]?["name"]) == name && (@namespace is null || Namespace(o) == @namespace))
        ?? throw new Xunit.Sdk.XunitException($"No single {kind} named {name}{(@namespace is null ? "" : $" in {@namespace}")} in the rendered overlay {Overlay}; it has: {string.Join(", ", Objects.Select(o => $"{Str(o["kind"])}/{Namespace(o)}/{Str(o["metadata"]?["name"])}"))}");

    /// <summary>Every object of this kind.</summary>
    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Str(o["kind"]) == kind);

    public static string? Namespace(JsonObject o) => Str(o["metadata"]?["namespace"]);

    public static JsonObject PodSpec(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject Container(JsonObject deployment, string name, string list = "containers") =>
        PodSpec(deployment)[list]?.AsArray().Select(c => c!.AsObject()).SingleOrDefault(c => Str(c["name"]) == name)
        ?? throw new Xunit.Sdk.XunitException($"No {list} entry named {name} in Deployment {Str(deployment["metadata"]!["name"])}.");

    /// <summary>The container's environment variables by name (value or valueFrom).</summary>
    public static IReadOnlyDictionary<string, JsonObject> Env(JsonObject container) =>
        (container["env"]?.AsArray() ?? []).Select(e => e!.AsObject()).ToDictionary(e => Str(e["name"])!);

    /// <summary>The container port with this name.</summary>
    public static int Port(JsonObject container, string name) =>
        (container["ports"]?.AsArray() ?? []).Select(p => p!.AsObject()).Where(p => Str(p["name"]) == name)
            .Select(p => int.Parse(Str(p["containerPort"])!)).SingleOrDefault(-1);

    private static async Task<RenderedManifests> RenderAsync()
    {
        var overlay = Path.Combine(RepoPaths.Root, "deploy", "kubernetes", "overlays", Overlay);
        var (exitCode, output) = await MonitoringTools.RunAsync("kubectl", ["kustomize", overlay], TimeSpan.FromMinutes(1));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {overlay} failed ({exitCode}):\n{output}");
        }

        return new RenderedManifests(ParseDocuments(output));
    }
}
