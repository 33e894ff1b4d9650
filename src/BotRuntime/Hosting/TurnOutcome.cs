namespace BotRuntime.Hosting;

/// <summary>
/// What an ingress answers its caller once a turn is over (or was refused). <see cref="Body"/> is the answer's JSON as
/// UTF-8, written to the caller as it is: the turn serialises it once, and it is never parsed back into a document just
/// to be written out again (issue 22).
/// </summary>
public sealed record TurnOutcome(int StatusCode, byte[]? Body = null, TimeSpan? RetryAfter = null)
{
    public static TurnOutcome Ok { get; } = new(200);

    /// <summary>The turn was refused before it started: the conversation is one its caller may not reach (this very instance).</summary>
    public static TurnOutcome Refused { get; } = new(403);
}
