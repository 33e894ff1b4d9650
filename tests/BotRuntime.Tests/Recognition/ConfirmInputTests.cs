using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class ConfirmInputTests
{
    [Theory]
    [InlineData("yes", "en-US")]
    [InlineData("Yes", "en-US")]
    [InlineData("yes please", "en-US")]
    [InlineData("sure", "en-US")]
    [InlineData("ok, go ahead", "en-US")]
    [InlineData("Yep!", "en-US")]
    [InlineData("yesss", "en-US")]
    [InlineData("that's right, thanks", "en-US")]
    [InlineData("yes, no problem", "en-US")]
    [InlineData("👍", "en-US")]
    [InlineData("sí", "es-ES")]
    [InlineData("Sí", "es-ES")]
    [InlineData("si", "es-ES")]
    [InlineData("sí, adelante", "es-ES")]
    [InlineData("vale", "es-ES")]
    [InlineData("claro que sí, gracias", "es-ES")]
    [InlineData("de acuerdo, por favor", "es-ES")]
    [InlineData("sin problema", "es-ES")]
    [InlineData("yes", "es-ES")]
    [InlineData("Sí", "en-US")]
    public void Strict_yes_is_a_whole_utterance_affirmation(string text, string locale)
    {
        var result = ConfirmInput.Recognize(text, locale, ConfirmOptions.StrictYes);
        Assert.Equal(ConfirmOutcome.Yes, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.True(result.Value);
    }

    [Theory]
    [InlineData("yes but 5 seats", "en-US", ConfirmOutcome.Qualified)]
    [InlineData("yes to the second one", "en-US", ConfirmOutcome.Qualified)]
    [InlineData("ok but change the date", "en-US", ConfirmOutcome.Qualified)]
    [InlineData("no wait, yes?", "en-US", ConfirmOutcome.Ambiguous)]
    [InlineData("yes no", "en-US", ConfirmOutcome.Ambiguous)]
    [InlineData("not sure", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("maybe yes", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("please", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("1", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("gold", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("sí, pero con 5 licencias", "es-ES", ConfirmOutcome.Qualified)]
    [InlineData("no, espera, sí", "es-ES", ConfirmOutcome.Ambiguous)]
    [InlineData("no estoy seguro", "es-ES", ConfirmOutcome.NoMatch)]
    [InlineData("y", "es-ES", ConfirmOutcome.NoMatch)]
    public void Strict_mode_refuses_anything_but_a_plain_answer(string text, string locale, ConfirmOutcome expected)
    {
        var result = ConfirmInput.Recognize(text, locale, ConfirmOptions.StrictYes);
        Assert.Equal(expected, result.Outcome);
        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("no", "en-US")]
    [InlineData("No thanks", "en-US")]
    [InlineData("nope", "en-US")]
    [InlineData("not now", "en-US")]
    [InlineData("don't do it", "en-US")]
    [InlineData("👎", "en-US")]
    [InlineData("no", "es-ES")]
    [InlineData("no, gracias", "es-ES")]
    [InlineData("mejor no", "es-ES")]
    [InlineData("para nada", "es-ES")]
    public void Strict_no_is_a_whole_utterance_refusal(string text, string locale)
    {
        var result = ConfirmInput.Recognize(text, locale, ConfirmOptions.StrictYes);
        Assert.Equal(ConfirmOutcome.No, result.Outcome);
        Assert.False(result.Value);
    }

    [Theory]
    [InlineData("yes to the second one", "en-US", ConfirmOutcome.Yes)]
    [InlineData("yes but 5 seats", "en-US", ConfirmOutcome.Yes)]
    [InlineData("I think not, no", "en-US", ConfirmOutcome.No)]
    [InlineData("that is not fine", "en-US", ConfirmOutcome.No)]
    [InlineData("true", "en-US", ConfirmOutcome.Yes)]
    [InlineData("1", "en-US", ConfirmOutcome.Yes)]
    [InlineData("2", "en-US", ConfirmOutcome.No)]
    [InlineData("no wait, yes?", "en-US", ConfirmOutcome.NoMatch)]
    [InlineData("yes and no", "en-US", ConfirmOutcome.Ambiguous)]
    [InlineData("sí, para el plan oro", "es-ES", ConfirmOutcome.Yes)]
    [InlineData("no vale", "es-ES", ConfirmOutcome.No)]
    [InlineData("verdadero", "es-ES", ConfirmOutcome.Yes)]
    [InlineData("quizás", "es-ES", ConfirmOutcome.NoMatch)]
    [InlineData("blue", "en-US", ConfirmOutcome.NoMatch)]
    public void Normal_mode_finds_the_answer_in_a_sentence(string text, string locale, ConfirmOutcome expected)
    {
        Assert.Equal(expected, ConfirmInput.Recognize(text, locale).Outcome);
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData("es-ES")]
    [InlineData("es-MX")]
    public void Our_own_button_values_are_recognised_strictly(string locale)
    {
        Assert.Equal(ConfirmOutcome.Yes, ConfirmInput.Recognize(ConfirmInput.YesButtonValue(locale), locale, ConfirmOptions.StrictYes).Outcome);
        Assert.Equal(ConfirmOutcome.No, ConfirmInput.Recognize(ConfirmInput.NoButtonValue(locale), locale, ConfirmOptions.StrictYes).Outcome);
    }
}
