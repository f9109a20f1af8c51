using System.Text.Json.Nodes;
using YamlDotNet.Core.Events;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Revocation.Testing;

/// <summary>YAML files (compose, Kubernetes manifests) read as JSON trees: YamlDotNet parses, every scalar becomes a JSON string.</summary>
public static class YamlDocuments
{
    /// <summary>Every YAML document of <paramref name="yaml"/> as a JSON object.</summary>
    public static IReadOnlyList<JsonObject> ParseDocuments(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<object>(parser);
            if (document is not null)
            {
                documents.Add(JsonNode.Parse(json.Serialize(document))!.AsObject());
            }
        }

        return documents;
    }

    /// <summary>A scalar's text, or null when the node is absent.</summary>
    public static string? Str(JsonNode? node) => node?.GetValue<string>();
}
