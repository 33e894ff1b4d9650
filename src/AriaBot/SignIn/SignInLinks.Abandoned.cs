using BotRuntime.State;

namespace AriaBot.SignIn;

// What AbandonedSignInSweep ends: sessions the page opened for codes nobody typed.
// The class and its storage: SignInLinks.cs.
public sealed partial class SignInLinks
{
    /// <summary>
    /// Ends the Aria sessions of sign-ins abandoned after the page: the customer signed in there (a session was opened)
    /// but the code was never typed, and it has now expired. Each record loses its session id under its eTag before
    /// the session is ended, so a turn redeeming or forgetting the same link at that moment and this sweep never both
    /// end it; the record itself stays until its storage expiry, so a late code is still told it expired.
    /// Looks at the records whose key (a hex hash) starts with <paramref name="keyPrefix"/>, at most
    /// <paramref name="batchSize"/> of them. Returns how many sessions were ended.
    /// </summary>
    internal async Task<int> EndAbandonedAsync(string keyPrefix, int batchSize, CancellationToken cancellationToken)
    {
        var items = await _storage.ReadPrefixAsync(LinkPrefix + keyPrefix, batchSize, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var ended = 0;
        foreach (var (linkKey, item) in items)
        {
            if (item.Document.ValueKind != System.Text.Json.JsonValueKind.Object || !item.Document.TryGetProperty("linkId", out _))
            {
                continue; // a redeemed link's tombstone
            }
            var record = System.Text.Json.JsonSerializer.Deserialize<SignInLinkRecord>(item.Document, StateJson.Options);
            if (record is not { AriaSessionId: { } sessionId, CodeExpiresAt: { } codeExpiresAt } || now < codeExpiresAt)
            {
                continue;
            }
            record.AriaSessionId = null;
            try
            {
                await _storage.WriteAsync(linkKey, record, item.ETag, item.ExpiresAt ?? codeExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                continue; // the chat side got to it first (redeemed, expired or replaced) and handles its session
            }
            await _accountSession.KillAsync(sessionId, cancellationToken).ConfigureAwait(false);
            LogAbandonedEnded(_logger, record.LinkId);
            ended++;
        }
        return ended;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the code was never typed and has expired; the Aria session was ended")]
    private static partial void LogAbandonedEnded(ILogger logger, string linkId);
}
