using System.Text.Json;
using System.Text.Json.Nodes;

namespace AriaClient.Tests.Infrastructure;

/// <summary>
/// A small validator for Aria's Swagger 2.0 definitions: every field must be one the definition
/// declares, with the declared type (object, array, string, integer, number, boolean), following $ref.
/// </summary>
public sealed class SwaggerSchema
{
    private readonly JsonObject _definitions;
    private readonly Dictionary<string, (string Request, string Response)> _calls = new(StringComparer.Ordinal);

    private SwaggerSchema(JsonObject swagger)
    {
        _definitions = swagger["definitions"]!.AsObject();
        foreach (var (_, path) in swagger["paths"]!.AsObject())
        {
            var post = path!["post"]!;
            var request = Ref(post["parameters"]![0]!["schema"]!);
            var response = Ref(post["responses"]!["default"]!["schema"]!);
            _calls[post["summary"]!.GetValue<string>()] = (request, response);
        }
    }

    public static SwaggerSchema Load { get; } = new(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Swagger", "aria-a7-r19-uss.json")))!.AsObject());

    public IReadOnlyCollection<string> Calls => _calls.Keys;

    public string RequestDefinition(string restCall) => _calls[restCall].Request;

    public string ResponseDefinition(string restCall) => _calls[restCall].Response;

    public JsonObject Definition(string name) => _definitions[name]!.AsObject();

    public JsonObject? Property(string definition, string field) => Definition(definition)["properties"]?[field]?.AsObject();

    public static string Ref(JsonNode schema) => schema["$ref"]!.GetValue<string>().Split('/')[^1];

    /// <summary>Problems with <paramref name="value"/> against a definition; empty when it conforms.</summary>
    public List<string> Validate(JsonNode? value, string definition)
    {
        var problems = new List<string>();
        ValidateObject(value, definition, definition, problems);
        return problems;
    }

    private void ValidateObject(JsonNode? value, string definition, string path, List<string> problems)
    {
        if (value is not JsonObject obj)
        {
            problems.Add($"{path}: expected an object ({definition})");
            return;
        }

        var properties = Definition(definition)["properties"]!.AsObject();
        foreach (var (name, item) in obj)
        {
            if (properties[name] is not JsonObject schema)
            {
                problems.Add($"{path}.{name}: Aria's {definition} has no such field");
                continue;
            }

            ValidateValue(item, schema, $"{path}.{name}", problems);
        }
    }

    private void ValidateValue(JsonNode? value, JsonObject schema, string path, List<string> problems)
    {
        if (value is null)
        {
            return;
        }

        if (schema["$ref"] is not null)
        {
            ValidateObject(value, Ref(schema), path, problems);
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var ok = type switch
        {
            "array" => value is JsonArray,
            "object" => value is JsonObject,
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && decimal.Truncate(value.GetValue<decimal>()) == value.GetValue<decimal>(),
            "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            _ => true,
        };
        if (!ok)
        {
            problems.Add($"{path}: Aria declares {type}, got {kind} ({value.ToJsonString()})");
            return;
        }

        if (type == "array" && schema["items"] is JsonObject items)
        {
            var i = 0;
            foreach (var element in value.AsArray())
            {
                ValidateValue(element, items, $"{path}[{i++}]", problems);
            }
        }
    }
}
