using System.Text.Json.Nodes;

namespace AriaBot.Changes;

/// <summary>
/// One value a change replaces, for a change that moves no money (a contact detail): what it is called, what it is
/// now (null: nothing on file) and what it becomes, all already worded for the customer.
/// </summary>
public sealed record PreviewField(string Label, string? Old, string New);

/// <summary>
/// The "old → new" part of a preview card. A summary with fields shows them instead of the money lines and totals,
/// which would otherwise say "$0.00 charged now" for a change that charges nothing.
/// </summary>
public static class PreviewFieldsBlock
{
    /// <summary>Shown for a value with nothing on file yet: a dash reads the same in every language.</summary>
    private const string Nothing = "—";

    public static JsonObject Build(IEnumerable<PreviewField> fields) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. fields.Select(field => (JsonNode)new JsonObject
        {
            ["title"] = field.Label,
            ["value"] = $"{(string.IsNullOrEmpty(field.Old) ? Nothing : field.Old)} → {field.New}",
        })]),
    };
}
