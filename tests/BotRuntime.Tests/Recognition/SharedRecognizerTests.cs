using BotRuntime.Recognition;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.Number;
using Microsoft.Recognizers.Text.NumberWithUnit;
using Microsoft.Recognizers.Text.Sequence;
using static BotRuntime.Tests.Recognition.RecognizerOracle;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;
using MsDateTimeOptions = Microsoft.Recognizers.Text.DateTime.DateTimeOptions;
using MsDateTimeRecognizer = Microsoft.Recognizers.Text.DateTime.DateTimeRecognizer;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// The per-culture models of <see cref="RecognizerModels"/> are shared by every turn. Used from many threads at
/// once they must answer exactly what a model built fresh for the one call answers. "Fresh" means a new instance made
/// by the library's own registered constructor (<see cref="RecognizerOracle.Fresh{TModel, TOptions}"/>), not what its static helpers or a
/// new recognizer hand out: those come from the library's process-wide cache, the very objects under test.
/// </summary>
public sealed class SharedRecognizerTests
{
    private static readonly (string Locale, string Text)[] Inputs =
    [
        ("en-US", "next friday"), ("en-US", "3 seats"), ("en-US", "tomorrow at 5pm"), ("en-US", "the second one"),
        ("en-US", "pay $42.50 on 3 March 2027"), ("en-US", "mail ada@example.com or call 555-0100"), ("en-US", "last 3 months"),
        ("es-ES", "el próximo viernes"), ("es-ES", "tres asientos"), ("es-ES", "el segundo"), ("es-ES", "42,50 €"),
        ("es-ES", "desde marzo"), ("es-ES", "mañana a las 5"),
    ];

    private sealed record Answers(string DateTime, string Number, string Ordinal, string Currency, string Email, string Phone);

    private static Answers Shared(string locale, string text)
    {
        var culture = BotCulture.Resolve(locale);
        return new Answers(
            Canonical(RecognizerModels.DateTime(culture).Parse(text, Reference)),
            Canonical(RecognizerModels.Number(culture).Parse(text)),
            Canonical(RecognizerModels.Ordinal(culture).Parse(text)),
            Canonical(RecognizerModels.Currency(culture).Parse(text)),
            Canonical(RecognizerModels.Email(culture).Parse(text)),
            Canonical(RecognizerModels.PhoneNumber(culture).Parse(text)));
    }

    /// <summary>The six models made anew for this one call.</summary>
    private static (MsDateTimeModel DateTime, IModel Number, IModel Ordinal, IModel Currency, IModel Email, IModel Phone) FreshModels(string locale)
    {
        var culture = BotCulture.Resolve(locale).RecognizersCulture;
        var numbers = new NumberRecognizer(culture, NumberOptions.None, lazyInitialization: true);
        var units = new NumberWithUnitRecognizer(culture, NumberWithUnitOptions.None, lazyInitialization: true);
        var sequences = new SequenceRecognizer(culture, SequenceOptions.None, lazyInitialization: true);
        return (
            // Date models with the library's static result memo off: with it on, a "fresh" model answers from what any
            // other model read before at the same moment (DateTimeCultureIsolationTests).
            (MsDateTimeModel)Fresh<MsDateTimeModel, MsDateTimeOptions>(new MsDateTimeRecognizer(culture, MsDateTimeOptions.NoProtoCache, lazyInitialization: true), culture, MsDateTimeOptions.NoProtoCache),
            Fresh<NumberModel, NumberOptions>(numbers, culture, NumberOptions.None),
            Fresh<OrdinalModel, NumberOptions>(numbers, culture, NumberOptions.None),
            Fresh<CurrencyModel, NumberWithUnitOptions>(units, culture, NumberWithUnitOptions.None),
            Fresh<EmailModel, SequenceOptions>(sequences, culture, SequenceOptions.None),
            Fresh<PhoneNumberModel, SequenceOptions>(sequences, culture, SequenceOptions.None));
    }

    private static Answers FreshAnswers(string locale, string text)
    {
        var models = FreshModels(locale);
        return new Answers(
            Canonical(models.DateTime.Parse(text, Reference)),
            Canonical(models.Number.Parse(text)),
            Canonical(models.Ordinal.Parse(text)),
            Canonical(models.Currency.Parse(text)),
            Canonical(models.Email.Parse(text)),
            Canonical(models.Phone.Parse(text)));
    }

    [Fact]
    public void The_oracle_models_are_new_instances_not_the_shared_ones()
    {
        foreach (var locale in new[] { "en-US", "es-ES" })
        {
            var culture = BotCulture.Resolve(locale);
            var fresh = FreshModels(locale);
            Assert.NotSame(RecognizerModels.DateTime(culture), fresh.DateTime);
            Assert.NotSame(RecognizerModels.Number(culture), fresh.Number);
            Assert.NotSame(RecognizerModels.Ordinal(culture), fresh.Ordinal);
            Assert.NotSame(RecognizerModels.Currency(culture), fresh.Currency);
            Assert.NotSame(RecognizerModels.Email(culture), fresh.Email);
            Assert.NotSame(RecognizerModels.PhoneNumber(culture), fresh.Phone);
            Assert.NotSame(fresh.Number, FreshModels(locale).Number);
        }
    }

    [Fact]
    public void Shared_models_used_from_many_threads_answer_as_models_built_for_the_call_do()
    {
        var expected = Inputs.ToDictionary(input => input, input => FreshAnswers(input.Locale, input.Text));
        Assert.Contains(expected.Values, answers => answers.DateTime != "[]");
        Assert.Contains(expected.Values, answers => answers.Number != "[]");
        Assert.Contains(expected.Values, answers => answers.Currency != "[]");
        Assert.Contains(expected.Values, answers => answers.Email != "[]");

        var work = Enumerable.Range(0, 16).SelectMany(_ => Inputs).ToArray();
        Assert.Empty(MismatchesFromEightThreads(work, input => Shared(input.Locale, input.Text).ToString(), input => expected[input].ToString()));
    }

    [Fact]
    public void A_shared_model_keeps_nothing_from_the_previous_call()
    {
        // Interleaved cultures and reference times: a model that kept state from its last call would answer differently.
        var other = Reference.AddDays(10);
        var first = (DateTimeInput.Recognize("next friday", "en-US", Reference).Values.Single().Date, NumberInput.Recognize("tres", "es-ES").Value);
        Assert.NotNull(first.Item1);
        Assert.Equal(3m, first.Item2);
        for (var round = 0; round < 3; round++)
        {
            Assert.NotEqual(first.Item1, DateTimeInput.Recognize("next friday", "en-US", other).Values.Single().Date);
            Assert.NotNull(DateTimeInput.Recognize("el próximo viernes", "es-ES", Reference).Values.Single().Date);
            Assert.Equal(first, (DateTimeInput.Recognize("next friday", "en-US", Reference).Values.Single().Date, NumberInput.Recognize("tres", "es-ES").Value));
        }
    }
}
