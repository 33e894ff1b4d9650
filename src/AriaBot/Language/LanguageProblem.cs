namespace AriaBot.Language;

/// <summary>One thing wrong with the words or utterances, pointing at the file and line to fix.</summary>
public sealed record LanguageProblem(string Source, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Message}" : $"{Source}: {Message}";
}

/// <summary>Thrown at start-up when <c>dialogs/</c> does not match the code; the message lists every problem.</summary>
public sealed class LanguageValidationException : Exception
{
    public LanguageValidationException(IReadOnlyList<LanguageProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public LanguageValidationException()
        : this([])
    {
    }

    public LanguageValidationException(string message)
        : base(message)
    {
        Problems = [new LanguageProblem("dialogs", 0, message)];
    }

    public LanguageValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new LanguageProblem("dialogs", 0, message)];
    }

    public IReadOnlyList<LanguageProblem> Problems { get; } = [];

    private static string Describe(IReadOnlyList<LanguageProblem> problems) =>
        $"The words in dialogs/ do not match the code ({problems.Count} problem(s)):{Environment.NewLine}"
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
