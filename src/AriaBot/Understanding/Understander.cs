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
public sealed class Understander : IUnderstander
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
    private readonly IReadOnlyDictionary<BotCulture, Dictionary<string, Intent>> _labels;
    private readonly TimeProvider _time;
    private readonly UnderstandingOptions _options;

    /// <param name="words">When given, a message that is exactly an intent's button label (a "did you mean"
    /// button posting its title) is that intent, with certainty.</param>
    public Understander(IntentExamples examples, TimeProvider time, UnderstandingOptions? options = null, IWords? words = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options ?? new UnderstandingOptions();
        _classifiers = BotCulture.Supported.ToDictionary(c => c, c => IntentClassifier.Train(examples.For(c)));
        _labels = BotCulture.Supported.ToDictionary(c => c, c => LabelsOf(words, c));
    }

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
        var culture = BotCulture.Resolve(locale);
        var currency = (context.Currency ?? (culture.IsSpanish ? "EUR" : "USD")).ToUpperInvariant();
        var privacy = SensitiveText.Redact(text ?? string.Empty, context.KnownSecrets);

        // Secrets become blanks (not markers) for analysis: "[card number removed]" must not look like "card".
        var analysed = Blank(text ?? string.Empty, privacy.Findings);
        var all = _labels[culture].TryGetValue(IntentFeatures.Normalize(analysed), out var pressed)
            ? Intents.Trainable.Select(i => new IntentScore(i, i == pressed ? 1.0 : 0.0)).OrderByDescending(s => s.Score).ThenBy(s => s.Intent).ToList()
            : _classifiers[culture].Classify(analysed);

        // The off-topic class is learnt like an intent but reported apart, so Intents and Suggestions only ever
        // hold things the bot can do.
        var offTopicScore = all.FirstOrDefault(s => s.Intent == Intent.None)?.Score ?? 0;
        var scores = all.Where(s => s.Intent != Intent.None).ToList();
        var top = scores.Count > 0 ? scores[0] : new IntentScore(Intent.None, 0);
        var offTopic = OpenSet.IsOffTopic(scores, offTopicScore, _options);
        var hopeless = offTopic || top.Score < _options.SuggestionFloor;
        var confident = !hopeless && top.Score >= _options.ConfidenceThreshold;

        var catalog = MatchCatalog(analysed, context.Catalog);
        var ambiguous = catalog.Count > 1 && catalog[0].Score - catalog[1].Score < _options.CatalogAmbiguityMargin;
        var entities = FindEntities(analysed, culture, currency, context, catalog);

        return new UnderstandingResult
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

    private List<NamedItemMatch> MatchCatalog(string text, IReadOnlyList<NamedItem> items)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var names = items.Select(i => (IReadOnlyList<string>)[i.DisplayName, .. i.Synonyms]).ToList();
        return FuzzyTokenMatcher.Match(text, names)
            .Where(m => m.Score >= _options.CatalogMinimumScore)
            .Select(m => new NamedItemMatch(items[m.OptionIndex], m.Score, m.MatchedText, m.Start, m.Length, m.IsFuzzy))
            .ToList();
    }

    private UnderstoodEntities FindEntities(string text, BotCulture culture, string currency, UnderstandingContext context, List<NamedItemMatch> catalog)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return UnderstoodEntities.None(currency);
        }

        var locale = culture.Name;
        var emails = EmailInput.FindAll(text, locale);
        var phones = PhoneInput.FindAll(text, locale).Where(p => !Overlaps(p.Start, p.End, emails.Select(e => (e.Start, e.End)))).ToList();
        var dates = DateTimeInput.FindAll(text, locale, DateTimeInput.ReferenceFrom(_time, context.TimeZone));
        var money = MoneyInput.FindAll(text, locale, currency).Where(m => m.CurrencyStated).ToList();

        var taken = new List<(int Start, int End)>();
        taken.AddRange(emails.Select(e => (e.Start, e.End)));
        taken.AddRange(phones.Select(p => (p.Start, p.End)));
        taken.AddRange(dates.Select(d => (d.Start, d.End)));
        taken.AddRange(money.Select(m => (m.Start, m.End)));
        taken.AddRange(catalog.Select(c => (c.Start, c.End)));

        var tokens = TextFolding.Tokenize(text);
        var numbers = NumberInput.FindAll(text, locale)
            .Where(n => !Overlaps(n.Start, n.End, taken))
            .Where(n => !IsArticle(n, tokens))
            .ToList();

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

    private static bool Overlaps(int start, int end, IEnumerable<(int Start, int End)> spans) =>
        spans.Any(s => start < s.End && s.Start < end);

    private static bool IsArticle(NumberMatch number, IReadOnlyList<TextToken> tokens)
    {
        var word = TextFolding.Fold(number.Text.Trim());
        if (!Articles.Contains(word))
        {
            return false;
        }

        var following = tokens.Where(t => t.Start >= number.End).Select(t => t.Text).SkipWhile(CountModifiers.Contains).FirstOrDefault();
        return following is null || !UnitWords.Contains(following);
    }
}
