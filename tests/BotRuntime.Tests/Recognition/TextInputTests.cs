using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class TextInputTests
{
    [Theory]
    [InlineData("  hello ", true, "hello")]
    [InlineData("hola", true, "hola")]
    [InlineData("   ", false, "")]
    [InlineData(null, false, "")]
    public void Recognize_accepts_any_non_blank_text(string? text, bool succeeded, string value)
    {
        var result = TextInput.Recognize(text);
        Assert.Equal(succeeded, result.Succeeded);
        Assert.Equal(value, result.Value);
    }
}
