/// <summary>AriaBot's turns that need no sign-in and no Aria call (the issue's "unsigned turns"), one conversation per user.</summary>
internal sealed class UnsignedUser(Func<CancellationToken, Task<IChat>> open) : IVirtualUser
{
    private static readonly string[] Texts = ["hi", "help", "what can you do?"];
    private IChat? _chat;
    private int _turn;

    public async Task PrepareAsync(CancellationToken cancellationToken) => _chat = await open(cancellationToken).ConfigureAwait(false);

    public async Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken)
    {
        var text = Texts[_turn++ % Texts.Length];
        var replies = await _chat!.SayAsync(text, cancellationToken).ConfigureAwait(false);
        // These answers are the shell's own words; any message with text or a card is right, an empty answer is not.
        var says = replies.Any(reply => reply.Type == "message" && (!string.IsNullOrWhiteSpace(reply.Text) || reply.Attachments.Length > 2));
        return new TurnOutcome(says ? null : $"\"{text}\": no message in {Reply.Show(replies)}", true);
    }
}

/// <summary>
/// A signed-in customer switching plans back and forth: "switch me to premium" must show Aria's preview card,
/// "yes" must say the switch is done; then the same back to the first plan. Two timed turns per completed flow.
/// Each bench user has an account of its own (the bench seed), so no two users change the same account.
/// </summary>
internal sealed class PlanSwitchUser(Func<CancellationToken, Task<IChat>> open, Func<IChat, CancellationToken, Task> signIn, string[] plans) : IVirtualUser
{
    private IChat? _chat;
    private int _step;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _chat = await open(cancellationToken).ConfigureAwait(false);
        await signIn(_chat, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken)
    {
        var target = plans[(_step / 2) % plans.Length];
        var confirm = _step % 2 == 1;
        var replies = await _chat!.SayAsync(confirm ? "yes" : $"switch me to {target.ToLowerInvariant()}", cancellationToken).ConfigureAwait(false);
        var expected = confirm ? $"You're now on {target}" : $"to {target}";
        var card = confirm || replies.Any(reply => reply.Attachments.Contains("AdaptiveCard", StringComparison.Ordinal));
        if (!card || !replies.Any(reply => reply.Says(expected)))
        {
            // Out of step with the bot: start the flow again from its first turn rather than confirm something else.
            _step = (_step / 2) * 2;
            await _chat.SayAsync("cancel", cancellationToken).ConfigureAwait(false);
            return new TurnOutcome($"plan switch to {target}, {(confirm ? "confirm" : "preview")}: expected \"{expected}\"{(card ? string.Empty : " and a card")}, got {Reply.Show(replies)}", false);
        }
        _step++;
        return new TurnOutcome(null, confirm);
    }
}

/// <summary>
/// A signed-in customer paying $1 with the card on file: "pay $1" must show the confirmation card (amount, method,
/// balance after), "yes" must say the payment went through. Two timed turns per completed flow.
/// </summary>
internal sealed class PaymentUser(Func<CancellationToken, Task<IChat>> open, Func<IChat, CancellationToken, Task> signIn) : IVirtualUser
{
    private IChat? _chat;
    private bool _confirm;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _chat = await open(cancellationToken).ConfigureAwait(false);
        await signIn(_chat, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TurnOutcome> TurnAsync(CancellationToken cancellationToken)
    {
        var replies = await _chat!.SayAsync(_confirm ? "yes" : "pay $1", cancellationToken).ConfigureAwait(false);
        var expected = _confirm ? "Your payment of $1.00" : "$1.00";
        var card = _confirm || replies.Any(reply => reply.Attachments.Contains("AdaptiveCard", StringComparison.Ordinal));
        if (!card || !replies.Any(reply => reply.Says(expected)))
        {
            var step = _confirm ? "confirm" : "card";
            _confirm = false;
            await _chat.SayAsync("cancel", cancellationToken).ConfigureAwait(false);
            return new TurnOutcome($"payment, {step}: expected \"{expected}\"{(card ? string.Empty : " and a card")}, got {Reply.Show(replies)}", false);
        }
        _confirm = !_confirm;
        return new TurnOutcome(null, !_confirm);
    }
}
