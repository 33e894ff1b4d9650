using AriaBot.Language;

namespace AriaBot.Account.Statements;

/// <summary>The statement links and their page; wordings in <c>dialogs/Statements/</c>.</summary>
[WordKeys]
public static class StatementWords
{
    /// <summary>A card button (or a text line) that opens one statement.</summary>
    public static readonly WordKey Open = new("statements.open", "number");

    /// <summary>Under the statements: the links are personal, single-use and short-lived.</summary>
    public static readonly WordKey LinksNote = new("statements.linksNote", "minutes");
    public static readonly WordKey PageIntro = new("statements.pageIntro");
    public static readonly WordKey PageOpen = new("statements.pageOpen");
    public static readonly WordKey PageGone = new("statements.pageGone");
    public static readonly WordKey PageSignIn = new("statements.pageSignIn");
    public static readonly WordKey PageUnavailable = new("statements.pageUnavailable");
    public static readonly WordKey PageRateLimited = new("statements.pageRateLimited");
}
