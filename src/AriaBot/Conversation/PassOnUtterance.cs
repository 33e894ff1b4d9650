namespace AriaBot.Conversation;

/// <summary>
/// The result of a task that ended because the customer's message was not for it (a history waiting for "show more"
/// got "change my email"): the shell routes <see cref="Text"/> afresh rather than losing it.
/// </summary>
public sealed record PassOnUtterance(string Text);
