using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;
using Microsoft.Recognizers.Text.DateTime.English;
using Microsoft.Recognizers.Text.DateTime.Spanish;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;
using MsDateTimeOptions = Microsoft.Recognizers.Text.DateTime.DateTimeOptions;
using MsNumberRecognizer = Microsoft.Recognizers.Text.Number.NumberRecognizer;
using MsNumberWithUnitRecognizer = Microsoft.Recognizers.Text.NumberWithUnit.NumberWithUnitRecognizer;
using MsSequenceRecognizer = Microsoft.Recognizers.Text.Sequence.SequenceRecognizer;

namespace BotRuntime.Recognition;

/// <summary>
/// The Recognizers.Text models, built once per culture and shared by every turn. The library's static helpers
/// (<c>DateTimeRecognizer.RecognizeDateTime</c> and friends) construct a recognizer per call, which loads the
/// culture's definitions and compiles its regular expressions again each time; a model, once built, only reads
/// its configuration, so one instance serves concurrent turns (proved by <c>SharedRecognizerTests</c>).
/// </summary>
internal static class RecognizerModels
{
    // One slot per supported culture; Lazy with ExecutionAndPublication so two first turns never build twice.
    private static readonly Dictionary<BotCulture, Models> ByCulture =
        BotCulture.Supported.ToDictionary(culture => culture, culture => new Models(culture.RecognizersCulture));

    public static MsDateTimeModel DateTime(BotCulture culture) => For(culture).DateTime.Value;

    public static IModel Number(BotCulture culture) => For(culture).Number.Value;

    public static IModel Ordinal(BotCulture culture) => For(culture).Ordinal.Value;

    public static IModel Currency(BotCulture culture) => For(culture).Currency.Value;

    public static IModel Email(BotCulture culture) => For(culture).Email.Value;

    public static IModel PhoneNumber(BotCulture culture) => For(culture).PhoneNumber.Value;

    private static Models For(BotCulture culture) => ByCulture[culture];

    /// <summary>
    /// The library's date-time model built from its public constructors, as its recognizer would build it, with the
    /// configuration values it rebuilds per read stored once (see <see cref="DateTimeConfigurationCache"/>). Not taken
    /// from <c>DateTimeRecognizer</c>: that returns a process-wide instance the library's static helpers also use,
    /// which we leave untouched (the oracle tests compare against it).
    /// </summary>
    internal static MsDateTimeModel BuildDateTime(string culture)
    {
        var options = new BaseDateTimeOptionsConfiguration(culture, DateTimeModelOptions);
        var model = culture switch
        {
            Culture.English => new MsDateTimeModel(
                new BaseMergedDateTimeParser(new EnglishMergedParserConfiguration(options)),
                new BaseMergedDateTimeExtractor(new EnglishMergedExtractorConfiguration(options))),
            Culture.Spanish => new MsDateTimeModel(
                new BaseMergedDateTimeParser(new SpanishMergedParserConfiguration(options)),
                new BaseMergedDateTimeExtractor(new SpanishMergedExtractorConfiguration(options))),
            _ => throw new ArgumentOutOfRangeException(nameof(culture), culture, "Only the bot's cultures have a date-time model."),
        };
        DateTimeConfigurationCache.Apply(model);
        return model;
    }

    /// <summary>
    /// The options of the bot's date-time models. <c>NoProtoCache</c>: 1.8.13's date, date-period, time and time-period
    /// extractors memoise their results in <b>static</b> caches keyed by (options + "_" + <c>LanguageMarker</c>, text,
    /// reference time), and no configuration of the library ever sets <c>LanguageMarker</c>, so the key is the same for
    /// every culture: after the Spanish model read "mañana" at some reference time, the English model given the same
    /// text and time got the Spanish extraction back (and English "tomorrow" read first made Spanish miss it). The
    /// cache also hands out shallow clones whose <c>Data</c> and <c>Metadata</c> are shared between calls and
    /// threads. Without it an answer depends only on the culture, the text and the reference time
    /// (<c>DateTimeCultureIsolationTests</c>). The flag also gives the date models' inner number extractors
    /// uncached instances of their own; the bot's number, ordinal and currency models keep theirs (their keys carry
    /// the culture).
    /// </summary>
    internal const MsDateTimeOptions DateTimeModelOptions = MsDateTimeOptions.NoProtoCache;

    private sealed class Models(string culture)
    {
        public Lazy<MsDateTimeModel> DateTime { get; } = new(() => BuildDateTime(culture));

        public Lazy<IModel> Number { get; } = new(() => new MsNumberRecognizer(culture).GetNumberModel(culture));

        public Lazy<IModel> Ordinal { get; } = new(() => new MsNumberRecognizer(culture).GetOrdinalModel(culture));

        public Lazy<IModel> Currency { get; } = new(() => new MsNumberWithUnitRecognizer(culture).GetCurrencyModel(culture));

        public Lazy<IModel> Email { get; } = new(() => new MsSequenceRecognizer(culture).GetEmailModel(culture));

        public Lazy<IModel> PhoneNumber { get; } = new(() => new MsSequenceRecognizer(culture).GetPhoneNumberModel(culture));
    }
}
