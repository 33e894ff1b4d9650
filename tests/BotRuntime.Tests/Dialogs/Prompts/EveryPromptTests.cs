using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Dialogs.Prompts;

/// <summary>
/// The behaviour every prompt shares, run for each prompt in en-US and es-ES: a good answer ends the prompt with
/// its value; a bad one gets the retry prompt, also when a typing indicator already went out in the turn; the
/// attempt limit ends the prompt with a distinct result; the validator sees the value and the attempt count.
/// </summary>
public sealed class EveryPromptTests
{
    public sealed record Case(string Name, string Locale, Func<PromptValidator<object?>?, Dialog> Create, Action<PromptOptions>? Configure, string Good, string Expected, string Bad)
    {
        public override string ToString() => $"{Name} {Locale}";
    }

    private static PromptValidator<T>? Adapt<T>(PromptValidator<object?>? validator) => validator is null
        ? null
        : (context, token) => validator(
            new PromptValidatorContext<object?>(
                context.Context,
                new PromptRecognizerResult<object?>(context.Recognized.Succeeded, context.Recognized.Value, context.Recognized.Outcome),
                context.Options,
                context.AttemptCount),
            token);

    private static readonly Action<PromptOptions> PlanChoices = options => options.Choices = [new Choice("Gold", ["premium"]), new Choice("Silver"), new Choice("Bronze")];
    private static readonly Action<PromptOptions> Usd = options => options.Validations = new MoneyOptions("USD");
    private static readonly Action<PromptOptions> Eur = options => options.Validations = new MoneyOptions("EUR");

    public static readonly Case[] Cases =
    [
        new("text", "en-US", v => new TextPrompt("ask", Adapt<string>(v)), null, "Ana", "got Ana", "   "),
        new("text", "es-ES", v => new TextPrompt("ask", Adapt<string>(v)), null, "María José", "got María José", "   "),
        new("number", "en-US", v => new NumberPrompt<int>("ask", Adapt<int>(v)), null, "3 seats", "got 3", "a few"),
        new("number", "es-ES", v => new NumberPrompt<int>("ask", Adapt<int>(v)), null, "tres asientos", "got 3", "unos cuantos"),
        new("money", "en-US", v => new MoneyPrompt("ask", new MoneyOptions("USD"), Adapt<Money>(v)), Usd, "fifty dollars", "got 50 USD", "50 euros"),
        new("money", "es-ES", v => new MoneyPrompt("ask", new MoneyOptions("USD"), Adapt<Money>(v)), Eur, "50,50 €", "got 50.5 EUR", "cincuenta dólares"),
        new("datetime", "en-US", v => new DateTimePrompt("ask", PromptHarness.Clock(), Adapt<DateTimeResult>(v)), null, "next friday", "got 2026-12-04", "whenever"),
        new("datetime", "es-ES", v => new DateTimePrompt("ask", PromptHarness.Clock(), Adapt<DateTimeResult>(v)), null, "mañana", "got 2026-11-26", "cuando sea"),
        new("confirm", "en-US", v => new ConfirmPrompt("ask", Adapt<bool>(v)), null, "yes please", "got yes", "maybe"),
        new("confirm", "es-ES", v => new ConfirmPrompt("ask", Adapt<bool>(v)), null, "vale", "got yes", "quizás"),
        new("choice", "en-US", v => new ChoicePrompt("ask", Adapt<FoundChoice>(v)), PlanChoices, "the second one", "got Silver", "platinum"),
        new("choice", "es-ES", v => new ChoicePrompt("ask", Adapt<FoundChoice>(v)), PlanChoices, "la tercera", "got Bronze", "platino"),
        new("email", "en-US", v => new EmailPrompt("ask", Adapt<string>(v)), null, "it's jane.doe@example.com thanks", "got jane.doe@example.com", "I don't have one"),
        new("email", "es-ES", v => new EmailPrompt("ask", Adapt<string>(v)), null, "mi correo es Ana.Gil@ejemplo.es", "got Ana.Gil@ejemplo.es", "no tengo"),
        new("phone", "en-US", v => new PhonePrompt("ask", Adapt<string>(v)), null, "call me on 555-123-4567", "got 555-123-4567", "no phone"),
        new("phone", "es-ES", v => new PhonePrompt("ask", Adapt<string>(v)), null, "mi móvil es +34 612 345 678", "got +34 612 345 678", "no tengo"),
    ];

    public static TheoryData<Case> All()
    {
        var data = new TheoryData<Case>();
        foreach (var item in Cases)
        {
            data.Add(item);
        }
        return data;
    }

    private static DialogTestClient Client(Case item, PromptValidator<object?>? validator = null, bool typing = false, int? maxAttempts = null)
    {
        var options = PromptHarness.Options();
        item.Configure?.Invoke(options);
        if (maxAttempts is { } max)
        {
            options.MaxAttempts = max;
        }
        return PromptHarness.Client(item.Create(validator), options, item.Locale, typing);
    }

    private static bool IsQuestion(Activity activity, string text) =>
        activity.IsType(ActivityTypes.Message) && activity.Text == text && activity.InputHint == InputHints.ExpectingInput;

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_good_answer_ends_the_prompt_with_its_value(Case item)
    {
        await Client(item).Flow()
            .Send("start").AssertReply(a => IsQuestion(a, "Question?"), "the question, expecting input")
            .Send(item.Good).AssertReply(item.Expected).AssertNoReply()
            .StartTestAsync();
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task A_bad_answer_gets_the_retry_prompt_and_a_good_one_then_counts(Case item)
    {
        await Client(item).Flow()
            .Send("start").AssertReply("Question?")
            .Send(item.Bad).AssertReply(a => IsQuestion(a, "Retry?"), "the retry prompt, expecting input").AssertNoReply()
            .Send(item.Good).AssertReply(item.Expected)
            .StartTestAsync();
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task The_retry_prompt_is_sent_even_when_a_typing_indicator_went_out_first(Case item)
    {
        await Client(item, typing: true).Flow()
            .Send("start").AssertTyping().AssertReply("Question?")
            .Send(item.Bad).AssertTyping().AssertReply("Retry?").AssertNoReply()
            .Send(item.Good).AssertTyping().AssertReply(item.Expected)
            .StartTestAsync();
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task After_max_attempts_the_prompt_ends_with_too_many_attempts(Case item)
    {
        var client = Client(item, maxAttempts: 2);
        await client.Flow()
            .Send("start").AssertReply("Question?")
            .Send(item.Bad).AssertReply("Retry?")
            .Send(item.Bad).AssertReply("gave up after 2").AssertNoReply()
            .StartTestAsync();
        Assert.Equal(new PromptTooManyAttempts("ask", 2), client.DialogTurnResult!.Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task The_validator_sees_the_recognised_value_and_the_attempt_count(Case item)
    {
        List<(bool Succeeded, int Attempt)> seen = [];
        PromptValidator<object?> validator = async (context, token) =>
        {
            seen.Add((context.Recognized.Succeeded, context.AttemptCount));
            if (context.AttemptCount == 1)
            {
                // The validator's own words go out and the retry prompt still follows (SDK bug #1629).
                await context.Context.SendActivityAsync("Not that one, humour me.", cancellationToken: token);
                return false;
            }
            return true;
        };

        await Client(item, validator).Flow()
            .Send("start").AssertReply("Question?")
            .Send(item.Good).AssertReply("Not that one, humour me.").AssertReply("Retry?")
            .Send(item.Bad).AssertReply("Retry?")
            .Send(item.Good).AssertReply(item.Expected)
            .StartTestAsync();

        Assert.Equal([(true, 1), (false, 2), (true, 3)], seen);
    }
}
