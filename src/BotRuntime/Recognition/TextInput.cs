namespace BotRuntime.Recognition;

/// <summary>Free text answer: anything that is not blank, trimmed.</summary>
public static class TextInput
{
    public static TextResult Recognize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TextResult(false, string.Empty);
        }

        return new TextResult(true, text.Trim());
    }
}

public sealed record TextResult(bool Succeeded, string Value);
