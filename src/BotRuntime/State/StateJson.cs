using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Schema;

namespace BotRuntime.State;

/// <summary>JSON options for stored state: the wire conventions, plus enums as names so stored state stays readable.</summary>
public static class StateJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(BotJson.Options);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
