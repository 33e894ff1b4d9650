using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Aria.Sandbox.Protocol;

/// <summary>
/// One request's inputs, read the same way whether they came as a form post to the dispatcher or
/// as JSON to <c>/v1/core</c>. Form arrays are PHP-style (<c>name[]</c> or <c>name[0]</c>): Aria's
/// PHP SDK sends a row array as parallel arrays named after the row's fields, so
/// <see cref="Rows"/> zips them back; JSON sends the rows as objects. Typed getters answer bad
/// values with Aria's codes (1016 number, 1033 boolean, 1024 date) instead of throwing.
/// </summary>
public sealed class AriaInput
{
    private readonly Dictionary<string, string?> _scalars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string?>> _arrays = new(StringComparer.Ordinal);
    private readonly JsonObject? _json;

    private AriaInput(JsonObject? json) => _json = json;

    public bool IsJson => _json is not null;

    public static AriaInput FromForm(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var input = new AriaInput(null);
        foreach (var (key, values) in form)
        {
            var bracket = key.IndexOf('[', StringComparison.Ordinal);
            if (bracket > 0 && key.EndsWith(']'))
            {
                var name = key[..bracket];
                if (!input._arrays.TryGetValue(name, out var list))
                {
                    input._arrays[name] = list = [];
                }

                list.AddRange(values.Select(v => string.IsNullOrEmpty(v) ? null : v));
            }
            else
            {
                // PHP keeps the last of repeated plain names.
                input._scalars[key] = values.Count == 0 ? null : values[^1];
            }
        }

        return input;
    }

    public static AriaInput FromJson(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var input = new AriaInput(body);
        foreach (var (key, value) in body)
        {
            switch (value)
            {
                case null:
                    input._scalars[key] = null;
                    break;
                case JsonArray array:
                    input._arrays[key] = array.Where(a => a is not JsonObject).Select(a => a is null ? null : ScalarText(a)).ToList();
                    break;
                case JsonObject:
                    throw new AriaFault(AriaCodes.InvalidInput, $"invalid input: {key} is an object");
                default:
                    input._scalars[key] = ScalarText(value);
                    if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                    {
                        // Aria's booleans are the strings "true"/"false"; a JSON boolean is refused (1033).
                        input._scalars[key] = value.GetValueKind() == JsonValueKind.True ? "\u0001true" : "\u0001false";
                    }

                    break;
            }
        }

        return input;
    }

    private static string ScalarText(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    public IEnumerable<string> Names => _scalars.Keys.Concat(_arrays.Keys);

    public bool Has(string name) => !string.IsNullOrEmpty(Str(name));

    public string? Str(string name)
    {
        var raw = _scalars.GetValueOrDefault(name);
        return raw is not null && raw.StartsWith('\u0001') ? raw[1..] : raw;
    }

    public string? NonEmpty(string name) => string.IsNullOrWhiteSpace(Str(name)) ? null : Str(name);

    public long? Long(string name)
    {
        var text = NonEmpty(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new AriaFault(AriaCodes.InvalidInput, $"invalid input: {name} must be a whole number");
    }

    public decimal? Decimal(string name)
    {
        var text = NonEmpty(name);
        if (text is null)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new AriaFault(AriaCodes.InvalidInput, $"invalid input: {name} must be a number");
    }

    /// <summary>An Aria string boolean; <paramref name="defaultValue"/> when absent.</summary>
    public bool Bool(string name, bool defaultValue)
    {
        var raw = _scalars.GetValueOrDefault(name);
        if (string.IsNullOrEmpty(raw))
        {
            return defaultValue;
        }

        return raw switch
        {
            "true" => true,
            "false" => false,
            _ => throw new AriaFault(AriaCodes.InvalidBoolean, $"invalid boolean for {name}: use \"true\" or \"false\""),
        };
    }

    public DateOnly? Date(string name)
    {
        var text = NonEmpty(name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new AriaFault(AriaCodes.InvalidDate, $"invalid date for {name}: use yyyy-mm-dd");
    }

    /// <summary>The rows of an array of objects (JSON) or of its parallel field arrays (form).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows(string arrayName, params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (_json?[arrayName] is JsonArray array)
        {
            var rows = new List<IReadOnlyDictionary<string, string?>>();
            foreach (var item in array)
            {
                if (item is JsonObject row)
                {
                    rows.Add(fields.ToDictionary(f => f, f => row[f] is { } v ? ScalarText(v) : null));
                }
                else if (fields.Length == 1 && item is not null)
                {
                    rows.Add(new Dictionary<string, string?> { [fields[0]] = ScalarText(item) });
                }
            }

            return rows;
        }

        var columns = fields.ToDictionary(f => f, f => _arrays.GetValueOrDefault(f) ?? []);
        var count = columns.Values.Max(c => c.Count);
        var result = new List<IReadOnlyDictionary<string, string?>>(count);
        for (var i = 0; i < count; i++)
        {
            result.Add(fields.ToDictionary(f => f, f => i < columns[f].Count ? columns[f][i] : null));
        }

        return result;
    }
}
