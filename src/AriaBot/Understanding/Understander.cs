using AriaBot.Language;
using BotRuntime.Privacy;
using BotRuntime.Recognition;

namespace AriaBot.Understanding;

/// <summary>Reads a free-text message: intent, entities, catalog items, and whether it held something secret.</summary>
public interface IUnderstander
{
    UnderstandingResult Understand(string? text, string? locale, UnderstandingContext? context = null);
}

/// <summary>
/// Local understanding, no cloud service: an <see cref="IntentClassifier"/> per locale trained from
/// <c>dialogs/Intents/*.lu</c>, Recognizers.Text entities through <c>BotRuntime.Recognition</c>, and fuzzy
/// matching against the catalog the caller passes in. Sensitive data is removed first, so a card number is
/// never read as a phone number, an amount, or training signal, and never reaches a log through the result.
/// </summary>
public sealed partial class Understander : IUnderstander
{
    // Unit words after which "one"/"un"/"una" is a count rather than an article.
    private static readonly HashSet<string> UnitWords = new(StringComparer.Ordinal)
    {
        "seat", "seats", "user", "users", "licence", "licences", "license", "licenses", "unit", "units", "line", "lines", "item", "items",
        "month", "months",
        "plaza", "plazas", "licencia", "licencias", "usuario", "usuarios", "unidad", "unidades", "puesto", "puestos", "linea", "lineas",
        "asiento", "asientos", "mes", "meses",
    };

    // Words between a count and its unit: "one more seat", "one extra user".
    private static readonly HashSet<string> CountModifiers = new(StringComparer.Ordinal) { "more", "extra", "additional", "new", "mas", "adicional", "nueva", "nuevo" };

    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "one", "un", "una", "uno" };

    private readonly IReadOnlyDictionary<BotCulture, IntentClassifier> _classifiers;
    private readonly IReadOnlyDictionary<BotCulture, Dictionary<string, Intent>.AlternateLookup<ReadOnlySpan<char>>> _labels;
    private readonly TimeProvider _time;
    private readonly UnderstandingOptions _options;
    private readonly LowConfidenceMessages? _kept;

    /// <param name="words">When given, a message that is exactly an intent's button label (a "did you mean"
    /// button posting its title) is that intent, with certainty.</param>
    /// <param name="kept">When given, messages read without confidence are kept there (redacted) for training.</param>
    public Understander(IntentExamples examples, TimeProvider time, UnderstandingOptions? options = null, IWords? words = null, LowConfidenceMessages? kept = null)
        : this(examples, time, ClassifierSettings.Default, options, words, kept)
    {
    }

    /// <summary>With explicit classifier settings, to compare settings on the held-out set (tests only).</summary>
    internal Understander(IntentExamples examples, TimeProvider time, ClassifierSettings settings, UnderstandingOptions? options = null, IWords? words = null, LowConfidenceMessages? kept = null)
    {
        _kept = kept;
        ArgumentNullException.ThrowIfNull(examples);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new UnderstandingOptions();
        // Trained once per process for the same lines and settings (every test host, a restarted host).
        _classifiers = BotCulture.Supported.ToDictionary(c => c, c => TrainedClassifiers.For(c, examples.For(c), settings, () => TrainingLines(examples, c)));
        _labels = BotCulture.Supported.ToDictionary(c => c, c => LabelsOf(words, c).GetAlternateLookup<ReadOnlySpan<char>>());
    }

    /// <summary>
    /// Decides whether the date pass runs with the cue used before <see cref="DateCue"/> (any date-like stem of either
    /// language, any number): only for the same-run A/B of <c>UnderstanderStageCostTests</c>; answers are the same.
    /// </summary>
    internal bool BroadDateCue { get; init; }

    /// <summary>The classifier this understander reads <paramref name="culture"/> with (shared by every understander of the same lines).</summary>
    internal IntentClassifier ClassifierFor(BotCulture culture) => _classifiers[culture];

    /// <summary>A locale's training lines as the classifier learns them: counts already turned into placeholders.</summary>
    internal static IReadOnlyList<(Intent Intent, string Text)> TrainingLines(IntentExamples examples, BotCulture culture) =>
        [.. examples.For(culture).Select(e => (e.Intent, EntityPlaceholders.Apply(e.Text, NumberSpans(FreeNumbers(e.Text, culture.Name, [])))))];

    private static Dictionary<string, Intent> LabelsOf(IWords? words, BotCulture culture)
    {
        var labels = new Dictionary<string, Intent>(StringComparer.Ordinal);
        if (words is null)
        {
            return labels;
        }

        foreach (var intent in Intents.Trainable)
        {
            labels.TryAdd(IntentFeatures.Normalize(words.Format(IntentWords.Label(intent), culture.Name)), intent);
        }

        return labels;
    }

    public UnderstandingResult Understand(string? text, string? locale, UnderstandingContext? context = null)
    {
        context ??= UnderstandingContext.Empty;
        var result = UnderstandIn(text, BotCulture.Resolve(locale), context);
        return context.TryOtherLanguages && !result.IsConfident ? InOtherLanguage(text, result, context) ?? result : result;
    }

    private UnderstandingResult UnderstandIn(string? text, BotCulture culture, UnderstandingContext context)
    {
        var options = _options.For(culture.Name);
        var currency = (context.Currency ?? (culture.IsSpanish ? "EUR" : "USD")).ToUpperInvariant();
        var privacy = SensitiveText.Redact(text ?? string.Empty, context.KnownSecrets);

        // Secrets become blanks (not markers) for analysis: "[card number removed]" must not look like "card".
        var analysed = Blank(text ?? string.Empty, privacy.Findings);
        var catalog = MatchCatalog(analysed, context.Catalog, culture.Name);
        var ambiguous = catalog.Count > 1 && catalog[0].Score - catalog[1].Score < _options.CatalogAmbiguityMargin;
        var entities = FindEntities(analysed, culture, currency, context, catalog);

        // Catalog names and counts become typed placeholders, as in training: "cancel premium" is "cancel <PLAN>".
        var placeheld = EntityPlaceholders.Apply(analysed, catalog, entities.Numbers);
        var all = IsLabel(_labels[culture], analysed, out var pressed)
            ? Intents.Trainable.Select(i => new IntentScore(i, i == pressed ? 1.0 : 0.0)).OrderByDescending(s => s.Score).ThenBy(s => s.Intent).ToList()
            : _classifiers[culture].Classify(placeheld, options.Temperature);

        // The off-topic class is learnt like an intent but reported apart, so Intents and Suggestions only ever
        // hold things the bot can do.
        var (scores, offTopicScore) = RankedIntents.WithoutOffTopic(all);
        var top = scores.Count > 0 ? scores[0] : new IntentScore(Intent.None, 0);
        // An abort word followed by the name of a plan is cancelling that plan, not stopping a task (with a task
        // running the dialog hears the message first, and a waiting preview is voided by it: ConfirmChangeDialog).
        // The words are tokenised only when a plan was named (issue 22: most lines name none).
        if (!ambiguous && catalog.Count > 0 && catalog[0].Item.Kind == NamedItem.PlanKind
            && AbortWords.AbortAt(analysed, culture.Name) is { } abortEnd && catalog[0].Start >= abortEnd)
        {
            var cancelPlan = scores.FirstOrDefault(s => s.Intent == Intent.CancelPlan) ?? new IntentScore(Intent.CancelPlan, 0);
            top = new IntentScore(Intent.CancelPlan, Math.Max(cancelPlan.Score, options.ConfidenceThreshold));
            scores = [top, .. scores.Where(s => s.Intent != Intent.CancelPlan)];
            offTopicScore = Math.Min(offTopicScore, 1 - top.Score);
        }

        // Not one word the bot knows ("blorp zzk"): a garbled message, not an off-topic one — "didn't catch that".
        var garbled = scores.Count > 0 && pressed == Intent.None && !_classifiers[culture].KnowsAnyWord(placeheld);
        var offTopic = !garbled && OpenSet.IsOffTopic(scores, offTopicScore, options);
        var hopeless = garbled || offTopic || top.Score < options.SuggestionFloor;
        var confident = !hopeless && top.Score >= options.ConfidenceThreshold;

        var result = new UnderstandingResult
        {
            Text = privacy.Text,
            Culture = culture,
            Intent = hopeless ? Intent.None : top.Intent,
            Score = top.Score,
            IsConfident = confident,
            IsOffTopic = offTopic,
            OffTopicScore = offTopicScore,
            Intents = scores,
            Suggestions = confident || hopeless ? [] : scores.Take(2).ToList(),
            Entities = entities,
            CatalogMatches = catalog,
            CatalogAmbiguous = ambiguous,
            Privacy = privacy,
        };
        _kept?.Consider(result);
        return result;
    }

    // A button's title is compared normalised, in a rented buffer: most messages are not a label, and a string per
    // message only to find that out is what issue 22 removed.
    private static bool IsLabel(Dictionary<string, Intent>.AlternateLookup<ReadOnlySpan<char>> labels, string text, out Intent intent)
    {
        intent = default;
        if (labels.Dictionary.Count == 0)
        {
            return false;
        }

        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(IntentFeatures.MaxNormalizedLength(text.Length));
        try
        {
            return labels.TryGetValue(buffer.AsSpan(0, IntentFeatures.NormalizeInto(text, buffer)), out intent);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string Blank(string text, IReadOnlyList<SensitiveFinding> findings)
    {
        if (findings.Count == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        foreach (var finding in findings)
        {
            Array.Fill(chars, ' ', finding.Start, finding.Length);
        }

        return new string(chars);
    }

    private List<NamedItemMatch> MatchCatalog(string text, IReadOnlyList<NamedItem> items, string locale)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var prepared = PreparedCatalog.For(items);
        var matches = FuzzyTokenMatcher.Match(text, prepared.NamesFor(locale))
            .Where(m => m.Score >= _options.CatalogMinimumScore)
            .Select(m => new NamedItemMatch(items[m.OptionIndex], m.Score, m.MatchedText, m.Start, m.Length, m.IsFuzzy))
            .ToList();

        // A size in the message ("the 1 GB plan") names the items whose name or description has that size; it ranks
        // just below an exact name, and two items of the same size are ambiguous like two of the same name.
        foreach (var size in CatalogSizes.In(text))
        {
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                if (!prepared.Sizes[index].Any(s => s.Megas == size.Megas))
                {
                    continue;
                }

                if (!matches.Any(m => m.Item == item && m.Score >= SizeMatchScore))
                {
                    matches.RemoveAll(m => m.Item == item);
                    matches.Add(new NamedItemMatch(item, SizeMatchScore, text.Substring(size.Start, size.Length), size.Start, size.Length, false));
                }
            }
        }

        return [.. matches.OrderByDescending(m => m.Score)];
    }

    private const double SizeMatchScore = 0.9;

    private UnderstoodEntities FindEntities(string text, BotCulture culture, string currency, UnderstandingContext context, List<NamedItemMatch> catalog)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return UnderstoodEntities.None(currency);
        }

        var locale = culture.Name;
        // The number pass is cheap and tells the date and amount passes whether they can find anything (EntityCues).
        var allNumbers = NumberInput.FindAll(text, locale);
        IReadOnlyList<SequenceMatch> emails = EntityCues.MayHoldEmail(text) ? EmailInput.FindAll(text, locale) : [];
        IReadOnlyList<SequenceMatch> phones = EntityCues.MayHoldPhone(text) ? PhoneInput.FindAll(text, locale) : [];
        if (emails.Count > 0)
        {
            phones = [.. phones.Where(p => !emails.Any(e => p.Start < e.End && e.Start < p.End))];
        }

        // A bare number is a count, not a day of the month: "pon el almacenamiento extra en 5" sets five.
        IReadOnlyList<DateTimeMatch> dates = (BroadDateCue ? EntityCues.MayHoldDate(text, allNumbers) : DateCue.MayHoldDate(text, allNumbers, culture))
            ? DateTimeInput.FindAll(text, locale, DateTimeInput.ReferenceFrom(_time, context.TimeZone)).Where(d => !d.Text.Trim().All(char.IsDigit)).ToList()
            : [];
        // Only amounts with a stated currency are entities (a bare number is one of the numbers below), so the money
        // pass does not read the numbers a second time.
        IReadOnlyList<MoneyMatch> money = EntityCues.MayHoldMoney(text, allNumbers) ? MoneyInput.FindStated(text, locale, currency) : [];

        // The spans a number may not overlap are gathered only when there is a number (most lines have none).
        var numbers = allNumbers;
        if (allNumbers.Count > 0)
        {
            List<(int Start, int End)> taken = [];
            Take(taken, emails, e => (e.Start, e.End));
            Take(taken, phones, p => (p.Start, p.End));
            Take(taken, dates, d => (d.Start, d.End));
            Take(taken, money, m => (m.Start, m.End));
            Take(taken, catalog, c => (c.Start, c.End));
            numbers = FreeNumbers(text, allNumbers, taken);
        }

        var quantity = numbers.FirstOrDefault(n => n.IsInteger && n.Value > 0 && n.Value <= int.MaxValue);
        var amount = money.Count > 0
            ? money[0]
            : numbers.Count == 1 ? new MoneyMatch(numbers[0].Value, currency, false, numbers[0].Text, numbers[0].Start, numbers[0].Length) : null;

        return new UnderstoodEntities(numbers, money, dates, emails, phones, currency)
        {
            Quantity = quantity is null ? null : (int)quantity.Value,
            Amount = amount,
        };
    }

    private static void Take<T>(List<(int Start, int End)> taken, IReadOnlyList<T> found, Func<T, (int Start, int End)> span)
    {
        for (var i = 0; i < found.Count; i++)
        {
            taken.Add(span(found[i]));
        }
    }

    /// <summary>The numbers of a text outside the spans already taken, articles ("a", "una") left out.</summary>
    private static IReadOnlyList<NumberMatch> FreeNumbers(string text, string locale, List<(int Start, int End)> taken) =>
        FreeNumbers(text, NumberInput.FindAll(text, locale), taken);

    private static IReadOnlyList<NumberMatch> FreeNumbers(string text, IReadOnlyList<NumberMatch> all, List<(int Start, int End)> taken)
    {
        if (all.Count == 0)
        {
            return [];
        }

        // Tokenised only when a number is an article ("a", "una"), to look at the word after it.
        IReadOnlyList<TextToken>? tokens = null;
        var free = new List<NumberMatch>(all.Count);
        foreach (var number in all)
        {
            if (!Overlaps(number.Start, number.End, taken) && !IsArticle(number, text, ref tokens))
            {
                free.Add(number);
            }
        }

        return free;
    }

    private static IEnumerable<(int Start, int Length, string Placeholder)> NumberSpans(IEnumerable<NumberMatch> numbers) =>
        numbers.Select(n => (n.Start, n.Length, EntityPlaceholders.Number));

    private static bool Overlaps(int start, int end, List<(int Start, int End)> spans)
    {
        foreach (var span in spans)
        {
            if (start < span.End && span.Start < end)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsArticle(NumberMatch number, string text, ref IReadOnlyList<TextToken>? tokens)
    {
        var word = TextFolding.Fold(number.Text.Trim());
        if (!Articles.Contains(word))
        {
            return false;
        }

        tokens ??= TextFolding.Tokenize(text);
        var following = tokens.Where(t => t.Start >= number.End).Select(t => t.Text).SkipWhile(CountModifiers.Contains).FirstOrDefault();
        return following is null || !UnitWords.Contains(following);
    }
}
