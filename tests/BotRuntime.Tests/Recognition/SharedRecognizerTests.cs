using System.Text.Json;
using BotRuntime.Recognition;
using Microsoft.Recognizers.Text;
using MsDateTimeOptions = Microsoft.Recognizers.Text.DateTime.DateTimeOptions;
using MsDateTimeRecognizer = Microsoft.Recognizers.Text.DateTime.DateTimeRecognizer;
using MsNumberRecognizer = Microsoft.Recognizers.Text.Number.NumberRecognizer;
using MsNumberWithUnitRecognizer = Microsoft.Recognizers.Text.NumberWithUnit.NumberWithUnitRecognizer;
using MsSequenceRecognizer = Microsoft.Recognizers.Text.Sequence.SequenceRecognizer;

namespace BotRuntime.Tests.Recognition;

/// <summary>
/// The per-culture models of <see cref="RecognizerModels"/> are shared by every turn. Used from many threads at
/// once they must answer exactly what a recognizer built fresh for the call answers (the library's own static
/// helpers, which is what the inputs called before the models were shared).
/// </summary>
public sealed class SharedRecognizerTests
{
    private static readonly DateTime Reference = new(2026, 11, 25, 9, 30, 0, DateTimeKind.Unspecified);

    private static readonly (string Locale, string Text)[] Inputs =
    [
        ("en-US", "next friday"), ("en-US", "3 seats"), ("en-US", "tomorrow at 5pm"), ("en-US", "the second one"),
        ("en-US", "pay $42.50 on 3 March 2027"), ("en-US", "mail ada@example.com or call 555-0100"), ("en-US", "last 3 months"),
        ("es-ES", "el próximo viernes"), ("es-ES", "tres asientos"), ("es-ES", "el segundo"), ("es-ES", "42,50 €"),
        ("es-ES", "desde marzo"), ("es-ES", "mañana a las 5"),
    ];

    private sealed record Answers(string DateTime, string Number, string Ordinal, string Currency, string Email, string Phone);

    private static string Canonical(IEnumerable<ModelResult> results) => JsonSerializer.Serialize(results.Select(r => new { r.Start, r.End, r.Text, r.TypeName, r.Resolution }));

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

    private static Answers Fresh(string locale, string text)
    {
        var culture = BotCulture.Resolve(locale).RecognizersCulture;
        return new Answers(
            Canonical(MsDateTimeRecognizer.RecognizeDateTime(text, culture, MsDateTimeOptions.None, Reference)),
            Canonical(MsNumberRecognizer.RecognizeNumber(text, culture)),
            Canonical(MsNumberRecognizer.RecognizeOrdinal(text, culture)),
            Canonical(MsNumberWithUnitRecognizer.RecognizeCurrency(text, culture)),
            Canonical(MsSequenceRecognizer.RecognizeEmail(text, culture)),
            Canonical(MsSequenceRecognizer.RecognizePhoneNumber(text, culture)));
    }

    [Fact]
    public void Shared_models_used_from_many_threads_answer_as_fresh_recognizers_do()
    {
        var expected = Inputs.ToDictionary(input => input, input => Fresh(input.Locale, input.Text));
        Assert.Contains(expected.Values, answers => answers.DateTime != "[]");
        Assert.Contains(expected.Values, answers => answers.Number != "[]");

        var work = Enumerable.Range(0, 16).SelectMany(_ => Inputs).ToArray();
        Random.Shared.Shuffle(work);
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = t; i < work.Length; i += 8)
            {
                var (locale, text) = work[i];
                var answers = Shared(locale, text);
                if (answers != expected[(locale, text)])
                {
                    mismatches.Add($"{locale} '{text}': {answers} != {expected[(locale, text)]}");
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(mismatches);
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
