using BotRuntime.Schema;

namespace BotRuntime.DirectLine;

/// <summary>A Direct Line conversation as stored: who it belongs to and its activity counter.</summary>
public sealed class DirectLineConversationRecord
{
    public string Id { get; set; } = "";
    /// <summary>The user the conversation's tokens carry (a <c>dl_</c> id unless a secret holder chose another).</summary>
    public string UserId { get; set; } = "";
    public string? UserName { get; set; }
    public string? BindingId { get; set; }
    public string? Locale { get; set; }
    /// <summary>True once <c>POST /conversations</c> ran and the bot was told it joined.</summary>
    public bool Started { get; set; }
    /// <summary>True once the bot was told the user joined (at start when the token names the user, else before the first post).</summary>
    public bool UserAdded { get; set; }
    /// <summary>The last sequence number given out; watermarks are these numbers.</summary>
    public long Seq { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Set when the customer signed out: from then on no token opens the conversation (read, post, refresh, stream,
    /// resume); a secret holder still can. A new chat is a new conversation.
    /// </summary>
    public DateTimeOffset? TokensRevokedAt { get; set; }
}

/// <summary>An activity waiting for its turn: kept until the bot has run it, so a restart loses nothing.</summary>
public sealed class DirectLineInboxItem
{
    public Activity Activity { get; set; } = new();
    public string UserId { get; set; } = "";
    public string? BindingId { get; set; }
    public bool ViaSecret { get; set; }

    /// <summary>
    /// Set when <see cref="Activity"/> is the redacted copy: the id under which the posting process holds the activity
    /// as typed, in memory only, for its turn. Absent there (a restart, another instance), the turn runs on the redacted copy.
    /// </summary>
    public string? HeldId { get; set; }
}

/// <summary>The outcome of storing a user's post.</summary>
public sealed record PostedActivity(string Id, long Seq, bool IsRetry);

/// <summary>An activity of the log with its sequence number (the watermark right after it).</summary>
public readonly record struct LoggedActivity(long Seq, Activity Activity);
