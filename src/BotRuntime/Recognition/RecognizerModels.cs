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
    /// configuration values it rebuilds per read stored once (see <see cref="DateTimeConfigurationCache"/>) and its
    /// result memo keyed by culture (see <see cref="DateTimeMemoKeys"/>). Not taken
    /// from <c>DateTimeRecognizer</c>: that returns a process-wide instance the library's static helpers also use,
    /// which we leave untouched (the oracle tests compare against it).
    /// </summary>
    /// <param name="culture">The Recognizers.Text culture.</param>
    /// <param name="libraryOptions">Only for the same-run cost comparisons (tests): the bot's models use none.</param>
    /// <param name="memoByCulture">Only for the same-run cost comparisons (tests): see <see cref="DateTimeMemoKeys"/>.</param>
    internal static MsDateTimeModel BuildDateTime(string culture, MsDateTimeOptions libraryOptions = MsDateTimeOptions.None, bool memoByCulture = true)
    {
        var options = new BaseDateTimeOptionsConfiguration(culture, libraryOptions);
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
        if (memoByCulture)
        {
            DateTimeMemoKeys.Apply(model, culture);
        }

        return model;
    }

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
