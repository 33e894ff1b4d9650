using BotRuntime.Recognition;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;
using static BotRuntime.Tests.Recognition.RecognizerOracle;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// The shared date-time models store the configuration values Recognizers.Text rebuilds on every read
/// (<see cref="DateTimeConfigurationCache"/>). Oracle: the library's stock model, built untouched here, must give
/// the same full answers (text, positions, type, every resolution value) for a wide set of lines.
/// </summary>
public sealed class DateTimeModelOracleTests
{
    private static readonly string[] English =
    [
        "next friday at 5pm", "tomorrow", "today", "yesterday at noon", "next week", "last month", "this weekend",
        "from March 3 to March 10", "between 2pm and 4pm", "3 March 2027", "12/01/2026", "in 3 days", "2 weeks ago",
        "for 3 hours", "30 minutes", "an hour and a half", "may", "I may pay in May", "may 5th", "at 5", "5pm",
        "half past three", "noon", "tonight", "every monday", "the first of next month", "by the end of the year",
        "pay $42.50 on 3 March 2027", "my account is 12345", "3 seats", "call 555-0100", "42", "the 2nd",
        "christmas", "new year's eve", "Q1 2027", "the last 3 months", "since january", "before friday",
        "next friday at 5pm or saturday morning", "I want to change my plan", "", "   ", "1234567890",
    ];

    private static readonly string[] Spanish =
    [
        "el próximo viernes a las 5", "mañana", "hoy", "ayer a mediodía", "la semana que viene", "el mes pasado",
        "este fin de semana", "del 3 al 10 de marzo", "entre las 2 y las 4 de la tarde", "3 de marzo de 2027",
        "12/01/2026", "dentro de 3 días", "hace 2 semanas", "durante 3 horas", "30 minutos", "hora y media",
        "mayo", "puedo pagar en mayo", "el 5 de mayo", "a las 5", "a las 17:00", "las tres y media", "esta noche",
        "todos los lunes", "el primero del mes que viene", "antes de fin de año", "pagar 42,50 € el 3 de marzo",
        "mi cuenta es 12345", "tres asientos", "42", "el segundo", "navidad", "desde enero", "antes del viernes",
        "el próximo viernes a las 5 o el sábado por la mañana", "quiero cambiar mi plan", "1234567890",
    ];

    private static IEnumerable<(string Culture, string Text)> Lines() =>
        English.Select(text => (Culture.English, text)).Concat(Spanish.Select(text => (Culture.Spanish, text)));

    // The library's own model (its recognizer keeps one per culture; nothing of ours touches that instance), with its
    // static result memo off: with it on, an answer depends on what ran before in the process
    // (DateTimeCultureIsolationTests), so it could not serve as an oracle.
    private static MsDateTimeModel Stock(string culture) => new DateTimeRecognizer(culture, DateTimeOptions.NoProtoCache).GetDateTimeModel(culture);

    // A stock graph of our own to apply the cache to, without touching the library's shared instance.
    private static MsDateTimeModel Unapplied(string culture)
    {
        var options = new BaseDateTimeOptionsConfiguration(culture, DateTimeOptions.None);
        return culture == Culture.English
            ? new MsDateTimeModel(new BaseMergedDateTimeParser(new Microsoft.Recognizers.Text.DateTime.English.EnglishMergedParserConfiguration(options)), new BaseMergedDateTimeExtractor(new Microsoft.Recognizers.Text.DateTime.English.EnglishMergedExtractorConfiguration(options)))
            : new MsDateTimeModel(new BaseMergedDateTimeParser(new Microsoft.Recognizers.Text.DateTime.Spanish.SpanishMergedParserConfiguration(options)), new BaseMergedDateTimeExtractor(new Microsoft.Recognizers.Text.DateTime.Spanish.SpanishMergedExtractorConfiguration(options)));
    }

    [Fact]
    public void Stored_configuration_values_answer_exactly_as_the_stock_model()
    {
        var stock = new Dictionary<string, MsDateTimeModel> { [Culture.English] = Stock(Culture.English), [Culture.Spanish] = Stock(Culture.Spanish) };
        var cached = new Dictionary<string, MsDateTimeModel>
        {
            [Culture.English] = RecognizerModels.BuildDateTime(Culture.English),
            [Culture.Spanish] = RecognizerModels.BuildDateTime(Culture.Spanish),
        };

        var found = 0;
        foreach (var (culture, text) in Lines())
        {
            var expected = Canonical(stock[culture].Parse(text, Reference));
            Assert.Equal(expected, Canonical(cached[culture].Parse(text, Reference)));
            found += expected == "[]" ? 0 : 1;
        }

        // The oracle must compare real answers, not two empty lists.
        Assert.True(found > 50, $"only {found} lines had date-time answers");
        Assert.Contains("datetimeV2.datetime", Canonical(cached[Culture.English].Parse("next friday at 5pm", Reference)), StringComparison.Ordinal);
        Assert.Contains("datetimeV2.datetime", Canonical(cached[Culture.Spanish].Parse("el próximo viernes a las 5", Reference)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_shared_models_used_from_eight_threads_answer_as_the_stock_model()
    {
        var stock = new Dictionary<string, MsDateTimeModel> { [Culture.English] = Stock(Culture.English), [Culture.Spanish] = Stock(Culture.Spanish) };
        var lines = Lines().ToArray();
        var expected = lines.ToDictionary(line => line, line => Canonical(stock[line.Culture].Parse(line.Text, Reference)));
        var work = Enumerable.Range(0, 6).SelectMany(_ => lines).ToArray();
        Assert.Empty(MismatchesFromEightThreads(work, line => Canonical(RecognizerModels.DateTime(BotCulture.Resolve(line.Culture)).Parse(line.Text, Reference)), line => expected[line]));
    }

    [Fact]
    public void The_english_duration_and_time_configurations_are_replaced_once_and_then_return_one_instance()
    {
        var model = Unapplied(Culture.English);
        var cached = DateTimeConfigurationCache.Apply(model);

        // Fails if 1.8.13's layout moves: the duration and time extractors' configurations must be found.
        Assert.Contains(cached, c => c is IDurationExtractorConfiguration);
        Assert.Contains(cached, c => c is ITimeExtractorConfiguration);
        Assert.Empty(DateTimeConfigurationCache.Apply(model));
        foreach (var configuration in cached)
        {
            var filters = configuration is IDurationExtractorConfiguration duration
                ? (Func<object>)(() => duration.AmbiguityFiltersDict)
                : () => ((ITimeExtractorConfiguration)configuration).AmbiguityFiltersDict;
            Assert.Same(filters(), filters());
        }
    }

    [Fact]
    public void Spanish_configurations_that_do_not_rebuild_are_left_as_they_are()
    {
        // Wrapping forwards every other read through reflection: only worth it where a value is rebuilt.
        Assert.Empty(DateTimeConfigurationCache.Apply(Unapplied(Culture.Spanish)));
    }

    [Fact]
    public void The_stock_english_configurations_do_rebuild_their_ambiguity_filters_on_every_read()
    {
        // The premise of the cache: if a library upgrade stops rebuilding, this fails and the cache can go.
        var inner = DateTimeConfigurationCache.Apply(Unapplied(Culture.English)).OfType<ICachedConfiguration>().Select(c => c.Inner).ToList();
        var duration = inner.OfType<IDurationExtractorConfiguration>().First();
        var time = inner.OfType<ITimeExtractorConfiguration>().First();
        Assert.NotSame(duration.AmbiguityFiltersDict, duration.AmbiguityFiltersDict);
        Assert.NotSame(time.AmbiguityFiltersDict, time.AmbiguityFiltersDict);
    }

    [Fact]
    public void A_call_on_the_shared_model_no_longer_allocates_the_rebuilt_regexes()
    {
        var stock = Unapplied(Culture.English);
        var shared = RecognizerModels.DateTime(BotCulture.Resolve("en-US"));
        static long Bytes(MsDateTimeModel model)
        {
            model.Parse("next friday at 5pm", Reference);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 5; i++)
            {
                model.Parse("next friday at 5pm", Reference);
            }

            return (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        }

        var stockBytes = Bytes(stock);
        var sharedBytes = Bytes(shared);
        // 1.8.13: ~71 KB stock, ~38 KB cached for this line; the ambiguity filters alone are ~21 KB per read.
        Assert.True(sharedBytes * 10 < stockBytes * 7, $"shared {sharedBytes} B per call, stock {stockBytes} B per call");
    }
}
