using BotRuntime.Recognition;
using Microsoft.Recognizers.Text;
using static BotRuntime.Tests.Recognition.RecognizerOracle;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;
using MsDateTimeOptions = Microsoft.Recognizers.Text.DateTime.DateTimeOptions;
using MsDateTimeRecognizer = Microsoft.Recognizers.Text.DateTime.DateTimeRecognizer;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// The shared date models must answer from the culture, the text and the reference time alone, whatever ran before in
/// the process. Recognizers.Text 1.8.13 memoises date, date-period, time and time-period extractions in static caches
/// keyed without the culture (see <see cref="DateTimeMemoKeys"/>): one model reading a text at a
/// moment decided what the other culture's model found in the same text at the same moment. Found when the golden
/// understanding file and the date-cue tests, both at 25 November 2026 10:00, ran in one process.
/// </summary>
public sealed class DateTimeCultureIsolationTests
{
    // The minimal sequences: the first culture's shared model reads the text, then the second's, at one moment no other
    // test uses (the library's cache is process-wide, so a moment shared with another test could be filled first).
    public static TheoryData<string, string, string, int> Sequences => new()
    {
        { "es-ES", "en-US", "tomorrow", 1 },
        { "es-ES", "en-US", "pay $50 on friday", 2 },
        { "en-US", "es-ES", "el próximo viernes a las 5", 3 },
        { "es-ES", "en-US", "el próximo viernes", 4 },
        { "es-ES", "en-US", "ayer", 5 },
        { "es-ES", "en-US", "en marzo", 6 },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_reading_in_one_culture_never_answers_for_the_other(string first, string second, string text, int moment)
    {
        var reference = new DateTime(2031, 3, 17, 8, 13, 0, DateTimeKind.Unspecified).AddMinutes(moment);
        var alone = (First: Canonical(Isolated(first).Parse(text, reference)), Second: Canonical(Isolated(second).Parse(text, reference)));
        // The two cultures read the text differently, so an answer carried over from one to the other would show.
        Assert.NotEqual(alone.First, alone.Second);

        Assert.Equal(alone.First, Canonical(Shared(first).Parse(text, reference)));
        Assert.Equal(alone.Second, Canonical(Shared(second).Parse(text, reference)));
        // And the first culture again, now that the second has read the text too.
        Assert.Equal(alone.First, Canonical(Shared(first).Parse(text, reference)));
    }

    [Fact]
    public void The_understanders_date_reading_does_not_depend_on_the_other_culture_having_read_the_line()
    {
        var reference = new DateTime(2031, 3, 17, 9, 41, 0, DateTimeKind.Unspecified);
        DateTimeInput.FindAll("tomorrow", "es-ES", reference);
        var english = DateTimeInput.FindAll("tomorrow", "en-US", reference);
        Assert.Equal("date", Assert.Single(english).Type);
        Assert.Equal(reference.Date.AddDays(1), english[0].Resolutions.Single().Value);
    }

    [Fact]
    public void Every_memoising_date_extractor_of_a_fresh_model_is_keyed_by_its_culture()
    {
        // Fails if a library upgrade renames the prefix field or stops memoising: then look again at its caches.
        foreach (var culture in new[] { Culture.English, Culture.Spanish })
        {
            var model = RecognizerModels.BuildDateTime(culture, memoByCulture: false);
            Assert.True(DateTimeMemoKeys.Apply(model, culture) >= 4, $"{culture}: fewer memoising extractors than the four base ones");
            Assert.Equal(0, DateTimeMemoKeys.Apply(model, culture));
        }
    }

    private static MsDateTimeModel Shared(string locale) => RecognizerModels.DateTime(BotCulture.Resolve(locale));

    // A model made for the call from the library's own constructor, with the memo off: nothing of the process's history
    // reaches it (with the memo on, "fresh" models share the library's static cache with every other one).
    private static MsDateTimeModel Isolated(string locale)
    {
        var culture = BotCulture.Resolve(locale).RecognizersCulture;
        return (MsDateTimeModel)Fresh<MsDateTimeModel, MsDateTimeOptions>(
            new MsDateTimeRecognizer(culture, MsDateTimeOptions.NoProtoCache, lazyInitialization: true), culture, MsDateTimeOptions.NoProtoCache);
    }
}
