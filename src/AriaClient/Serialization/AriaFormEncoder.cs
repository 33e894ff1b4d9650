using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aria.Client.Serialization;

/// <summary>
/// Turns an Aria JSON request body into the form encoding Aria's PHP dispatcher reads. Aria's own
/// PHP SDK flattens an array of rows into parallel arrays named after the row's fields
/// (<c>order_line_items: [{client_sku, units}]</c> becomes <c>client_sku[]=…&amp;units[]=…</c>), so
/// the array's own name does not travel. A column missing from some rows is sent empty in those
/// rows so that the parallel arrays stay aligned. Null values are left out, as the SDK does.
/// </summary>
public static class AriaFormEncoder
{
    public static IReadOnlyList<KeyValuePair<string, string>> ToPairs(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in body)
        {
            switch (value)
            {
                case null:
                    break;
                case JsonArray rows:
                    AddRows(name, rows, pairs);
                    break;
                case JsonObject:
                    throw new ArgumentException($"Aria's form transport has no nested object: {name}", nameof(body));
                default:
                    pairs.Add(new(name, Scalar(value)));
                    break;
            }
        }

        return pairs;
    }

    public static string Encode(JsonObject body)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in ToPairs(body))
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    private static void AddRows(string arrayName, JsonArray rows, List<KeyValuePair<string, string>> pairs)
    {
        if (rows.All(r => r is not JsonObject))
        {
            foreach (var item in rows)
            {
                if (item is not null)
                {
                    pairs.Add(new(arrayName + "[]", Scalar(item)));
                }
            }

            return;
        }

        var columns = new List<string>();
        foreach (var row in rows.OfType<JsonObject>())
        {
            foreach (var (field, value) in row)
            {
                if (value is not null && !columns.Contains(field))
                {
                    columns.Add(field);
                }
            }
        }

        foreach (var column in columns)
        {
            foreach (var row in rows)
            {
                var cell = (row as JsonObject)?[column];
                pairs.Add(new(column + "[]", cell is null ? string.Empty : Scalar(cell)));
            }
        }
    }

    private static string Scalar(JsonNode node)
    {
        var value = node.AsValue();
        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => value.ToJsonString(),
        };
    }

}
