using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;

namespace BotRuntime.Recognition;

/// <summary>
/// Recognizers.Text 1.8.13's date, date-period, time and time-period extractors memoise their results in
/// <b>static</b> caches (one per extractor class, shared by every culture and every model in the process) keyed by
/// (<c>keyPrefix</c>, text, reference time), where <c>keyPrefix</c> is the options and the configuration's
/// <c>LanguageMarker</c> — which no configuration of the library ever sets. So the key is the same for English and
/// Spanish: after the Spanish model had read "mañana" at some reference time, the English model given the same text
/// at the same time got the Spanish extraction back ("próximo viernes", "ayer", "marzo" found in English), and an
/// English-only word read first by the Spanish model made English miss it ("tomorrow"). In the bot the reference
/// is the current time, so two cultures met only within one tick; tests, with one fake clock, met every time.
/// This gives each of our models' memoising extractors a prefix that names the culture (and "aria" so that the
/// library's own process-wide models, which still share one prefix, never answer for ours), once, before the model
/// is shared.
/// </summary>
/// <remarks>
/// Why not turn the memo off (<c>DateTimeOptions.NoProtoCache</c>)? One extraction asks the same sub-extractors
/// about the same text several times, and the inner number extractors are memoised by text alone: without the memo
/// a date pass cost about 3× the CPU and 2× the bytes, also with a moving clock (<c>DateTimeMemoCostTests</c>).
/// The prefix is a private read-only field; <c>DateTimeCultureIsolationTests</c> fails if the library renames it.
/// </remarks>
internal static class DateTimeMemoKeys
{
    private const string PrefixField = "keyPrefix";

    /// <summary>Re-keys every memoising date extractor reachable from <paramref name="model"/>; returns how many.</summary>
    public static int Apply(MsDateTimeModel model, string culture)
    {
        ArgumentNullException.ThrowIfNull(model);
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(model);
        var keyed = 0;
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!visited.Add(current))
            {
                continue;
            }

            foreach (var field in DateTimeConfigurationCache.InstanceFields(current.GetType()))
            {
                var value = field.GetValue(current);
                if (field.Name == PrefixField && value is string prefix && IsDateTimeType(field.DeclaringType))
                {
                    var wanted = Prefix(culture);
                    if (!prefix.StartsWith(wanted, StringComparison.Ordinal))
                    {
                        field.SetValue(current, wanted + prefix);
                        keyed++;
                    }

                    continue;
                }

                if (value is null || value is string || field.FieldType.IsValueType || value is System.Text.RegularExpressions.Regex)
                {
                    continue;
                }

                DateTimeConfigurationCache.Enqueue(pending, value);
            }
        }

        return keyed;
    }

    /// <summary>What our models' memo keys start with for <paramref name="culture"/>.</summary>
    internal static string Prefix(string culture) => $"aria_{culture}_";

    // The number extractors inside a date model have a prefix of their own that already names the culture.
    private static bool IsDateTimeType(Type? type) =>
        type?.Namespace?.StartsWith("Microsoft.Recognizers.Text.DateTime", StringComparison.Ordinal) == true;
}
