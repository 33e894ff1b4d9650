using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AriaBot.Understanding;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// An understander's whole answer to one line as a small JSON object, the form the golden files
/// (<c>Understanding/Golden/Understanding.&lt;locale&gt;.jsonl</c>) keep: intent, scores rounded to 6 places, the top
/// three intents, suggestions, every entity with its span and resolutions, catalog matches, what privacy removed.
/// Empty lists and default values are left out so the files stay small.
/// </summary>
internal static class GoldenAnswers
{
    private const int ScoreDigits = 6;

    // Two answers whose scores differ by less than this are the same answer: the stored scores are rounded, and a
    // model persisted and read back may differ in the last bits (another round of issue 22 persists trained models).
    private const double ScoreTolerance = 2e-6;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Where the golden file of a locale lives in the source tree (written by the regeneration command).</summary>
    internal static string SourcePath(string locale, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Golden", $"Understanding.{locale}.jsonl");

    /// <summary>The golden file as copied next to the test assembly.</summary>
    internal static string OutputPath(string locale) =>
        Path.Combine(AppContext.BaseDirectory, "Understanding", "Golden", $"Understanding.{locale}.jsonl");

    /// <summary>One line of a golden file: the line read, whether the catalog was passed, and the answer.</summary>
    internal static string Line(string text, bool withCatalog, UnderstandingResult result) =>
        new JsonObject { ["line"] = text, ["catalog"] = withCatalog, ["answer"] = Answer(result, text) }.ToJsonString(Json);

    /// <param name="line">The line read: the redacted text is kept only when it differs from it.</param>
    internal static JsonNode Answer(UnderstandingResult r, string? line = null)
    {
        var e = r.Entities;
        var answer = new
        {
            Intent = r.Intent.ToString(),
            Score = Round(r.Score),
            OffTopic = Round(r.OffTopicScore),
            r.IsConfident,
            r.IsOffTopic,
            Top = r.Intents.Take(3).Select(s => new object[] { s.Intent.ToString(), Round(s.Score) }),
            Suggested = NullIfEmpty(r.Suggestions.Select(s => s.Intent.ToString())),
            Redacted = line is not null && r.Text == line ? null : r.Text,
            r.Entities.Quantity,
            Amount = e.Amount is { } a ? new { a.Amount, a.Currency, a.CurrencyStated, a.Text, a.Start, a.Length } : null,
            Numbers = NullIfEmpty(e.Numbers.Select(n => new { n.Value, n.Text, n.Start, n.Length, n.IsWords })),
            Money = NullIfEmpty(e.Money.Select(m => new { m.Amount, m.Currency, m.CurrencyStated, m.Text, m.Start, m.Length })),
            Dates = NullIfEmpty(e.Dates.Select(d => new { d.Type, d.Text, d.Start, d.Length, d.Resolutions })),
            Emails = NullIfEmpty(e.Emails.Select(s => new { s.Value, s.Text, s.Start, s.Length })),
            Phones = NullIfEmpty(e.Phones.Select(s => new { s.Value, s.Text, s.Start, s.Length })),
            Catalog = NullIfEmpty(r.CatalogMatches.Select(m => new { m.Item.Id, Score = Round(m.Score), m.MatchedName, m.Start, m.Length, m.IsFuzzy })),
            r.CatalogAmbiguous,
            Privacy = NullIfEmpty(r.Privacy.Findings.Select(f => new { Kind = f.Kind.ToString(), f.Start, f.Length })),
            r.Privacy.ShouldWarnUser,
        };
        return JsonSerializer.SerializeToNode(answer, Json)!;
    }

    /// <summary>Null when both answers are the same (scores within the tolerance); otherwise the first difference.</summary>
    internal static string? Difference(JsonNode? expected, JsonNode? actual, string path = "")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject left, JsonObject right):
                foreach (var key in left.Select(p => p.Key).Union(right.Select(p => p.Key)))
                {
                    if (Difference(left[key], right[key], $"{path}.{key}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray left, JsonArray right):
                if (left.Count != right.Count)
                {
                    return $"{path}: {left.ToJsonString(Json)} vs {right.ToJsonString(Json)}";
                }

                for (var i = 0; i < left.Count; i++)
                {
                    if (Difference(left[i], right[i], $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonValue left, JsonValue right)
                when left.GetValueKind() == JsonValueKind.Number && right.GetValueKind() == JsonValueKind.Number:
                return Math.Abs(Number(left) - Number(right)) <= ScoreTolerance ? null : $"{path}: {left} vs {right}";
            default:
                var (a, b) = (expected?.ToJsonString(Json), actual?.ToJsonString(Json));
                return a == b ? null : $"{path}: {a ?? "(none)"} vs {b ?? "(none)"}";
        }
    }

    /// <summary>Two results of the same run compared the way a golden line is.</summary>
    internal static string? Difference(UnderstandingResult expected, UnderstandingResult actual) =>
        Difference(Answer(expected), Answer(actual));

    // A value read from a file holds a JsonElement, one built in memory the CLR value (int, decimal, double…): the
    // JSON text is what both have in common.
    private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

    private static double Round(double score) => Math.Round(score, ScoreDigits, MidpointRounding.AwayFromZero);

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
