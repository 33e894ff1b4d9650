using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Dialogs.Prompts;

/// <summary>Number, money and date-time prompts: what counts as an answer in each language.</summary>
public sealed class ValuePromptTests
{
    [Theory]
    [InlineData("en-US", "three", "got 3")]
    [InlineData("en-US", "3", "got 3")]
    [InlineData("en-US", "I need 12 seats please", "got 12")]
    [InlineData("es-ES", "doce", "got 12")]
    [InlineData("es-ES", "quiero 4 licencias", "got 4")]
    public async Task Number_prompt_reads_digits_and_words(string locale, string input, string expected)
    {
        await PromptHarness.Client(new NumberPrompt<int>("ask"), PromptHarness.Options(), locale).Flow()
            .Send("start").AssertReply("Question?")
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "2.5")]
    [InlineData("en-US", "3 or 4")]
    [InlineData("es-ES", "2,5")]
    [InlineData("en-US", "99999999999")]
    public async Task Number_prompt_never_rounds_or_picks_one_of_two_numbers(string locale, string input)
    {
        await PromptHarness.Client(new NumberPrompt<int>("ask"), PromptHarness.Options(), locale).Flow()
            .Send("start").AssertReply("Question?")
            .Send(input).AssertReply("Retry?")
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "2.5", "got 2.5")]
    [InlineData("es-ES", "2,5", "got 2.5")]
    [InlineData("es-ES", "dos coma cinco", "got 2.5")]
    public async Task Decimal_number_prompt_reads_the_cultures_decimal_separator(string locale, string input, string expected)
    {
        await PromptHarness.Client(new NumberPrompt<decimal>("ask"), PromptHarness.Options(), locale).Flow()
            .Send("start").AssertReply("Question?")
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "$50", "got 50 USD")]
    [InlineData("en-US", "50.5", "got 50.5 USD")]
    [InlineData("en-US", "pay 120 dollars", "got 120 USD")]
    [InlineData("es-ES", "cincuenta euros", "got 50 EUR")]
    public async Task Money_prompt_reads_amounts_in_the_expected_currency(string locale, string input, string expected)
    {
        var options = PromptHarness.Options();
        options.Validations = new MoneyOptions(locale == "es-ES" ? "EUR" : "USD");
        await PromptHarness.Client(new MoneyPrompt("ask", new MoneyOptions("GBP")), options, locale).Flow()
            .Send("start").AssertReply("Question?")
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Theory]
    [InlineData("0", "Zero")]
    [InlineData("-5 dollars", "Negative")]
    [InlineData("50 euros", "WrongCurrency")]
    [InlineData("$10.555", "TooManyDecimals")]
    [InlineData("$5 or $10", "Ambiguous")]
    public async Task Money_prompt_refuses_zero_negatives_other_currencies_and_tells_the_validator_why(string input, string outcome)
    {
        string? seen = null;
        var prompt = new MoneyPrompt("ask", new MoneyOptions("USD"), (context, token) =>
        {
            seen = context.Recognized.Outcome;
            if (context.Recognized.Details is MoneyResult { Outcome: MoneyOutcome.WrongCurrency, StatedCurrency: { } stated })
            {
                context.RetryPrompt = MessageFactory.Text($"I can only take USD, not {stated}. How much?");
            }
            return Task.FromResult(true);
        });

        var flow = PromptHarness.Client(prompt, PromptHarness.Options()).Flow().Send("start").AssertReply("Question?").Send(input);
        flow = outcome == "WrongCurrency" ? flow.AssertReply("I can only take USD, not EUR. How much?") : flow.AssertReply("Retry?");
        await flow.StartTestAsync();
        Assert.Equal(outcome, seen);
    }

    [Fact]
    public async Task Money_prompt_allows_zero_when_the_options_say_so_and_survives_storage_as_typed_options()
    {
        var options = PromptHarness.Options();
        options.Validations = new MoneyOptions("USD") { AllowZero = true };
        var client = PromptHarness.Client(new MoneyPrompt("ask", new MoneyOptions("USD")), options);
        await client.Flow()
            .Send("start").AssertReply("Question?")
            .Send("0").AssertReply("got 0 USD")
            .StartTestAsync();
    }

    [Theory]
    [InlineData("en-US", "tomorrow", "got 2026-11-26")]
    [InlineData("en-US", "December 3rd", "got 2026-12-03")]
    [InlineData("es-ES", "el próximo viernes", "got 2026-12-04")]
    [InlineData("es-ES", "3 de diciembre", "got 2026-12-03")]
    public async Task Date_prompt_resolves_against_the_fake_clock(string locale, string input, string expected)
    {
        await PromptHarness.Client(new DateTimePrompt("ask", PromptHarness.Clock()), PromptHarness.Options(), locale).Flow()
            .Send("start").AssertReply("Question?")
            .Send(input).AssertReply(expected)
            .StartTestAsync();
    }

    [Fact]
    public async Task Date_prompt_follows_the_clock_as_it_moves()
    {
        var clock = PromptHarness.Clock();
        await PromptHarness.Client(new DateTimePrompt("ask", clock), PromptHarness.Options(), clock: clock).Flow()
            .Send("start").AssertReply("Question?")
            .Do(() => clock.Advance(TimeSpan.FromDays(10)), "ten days pass")
            .Send("tomorrow").AssertReply("got 2026-12-06")
            .StartTestAsync();
    }

    [Fact]
    public async Task Date_prompt_uses_the_users_own_day_from_the_activitys_local_timestamp()
    {
        // 02:00 UTC on the 25th is still the evening of the 24th for a user at UTC-5.
        var clock = PromptHarness.Clock(new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));
        var prompt = new DateTimePrompt("ask", clock);
        var answer = new Activity { Type = ActivityTypes.Message, Text = "tomorrow", LocalTimestamp = new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.FromHours(-5)) };

        await PromptHarness.Client(prompt, PromptHarness.Options(), clock: clock).Flow()
            .Send("start").AssertReply("Question?")
            .Send(answer).AssertReply("got 2026-11-25")
            .StartTestAsync();
    }
}
