using Aria.Client;
using Aria.Client.Models;
using AriaBot.Audit;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Logging;
using BotRuntime.State;

namespace AriaBot.Payments.PaymentMethods;

/// <summary>The card as typed on the page. Every part is secret: never logged, never stored, only sent to Aria.</summary>
internal sealed record CardInput([property: SecretData] string Number, int Month, int Year, [property: SecretData] string Cvv)
{
    public override string ToString() => "CardInput { [removed] }";
}

internal enum SubmitOutcome
{
    /// <summary>Aria added the method; <see cref="Submitted.Label"/> says which, masked.</summary>
    Added,

    /// <summary>The link is unknown, expired or already used (a second submit lands here).</summary>
    LinkUnusable,

    /// <summary>Too many card attempts for this account or address today; nothing was sent to Aria.</summary>
    RateLimited,

    /// <summary>The chat's Aria session has ended (or was never bound through this ingress): nothing was written.</summary>
    SessionExpired,

    /// <summary>Aria now names another account for the session than the link was made for: nothing was written.</summary>
    AccountChanged,

    /// <summary>Aria refused the card (number, expiry, type): nothing was written, the link can be used again.</summary>
    CardRefused,

    /// <summary>Aria could not be asked before the write: nothing was written, the link can be used again.</summary>
    Unavailable,

    /// <summary>The write was sent but its answer was lost: it is not retried; the chat is told to check.</summary>
    Unknown,
}

internal sealed record Submitted(SubmitOutcome Outcome, string? Locale, MaskedCard? Card = null, long? AriaError = null);

// The page's post: the one write of a link. The class and its storage: PaymentMethodLinks.cs.
public sealed partial class PaymentMethodLinks
{
    /// <summary>
    /// The post. Order matters: the card-testing limits are reserved first (before anything reaches Aria), then the
    /// link is claimed under its eTag (so of two concurrent posts exactly one goes on), then the chat's session is
    /// validated — the last Aria call before the write — and the write carries the link's one receipt id.
    /// </summary>
    internal async Task<Submitted> SubmitAsync([SecretData] string state, CardInput card, System.Net.IPAddress? address, CancellationToken cancellationToken)
    {
        var link = await ReadAsync(state, cancellationToken).ConfigureAwait(false);
        if (link is null || !IsOpen(link.Value))
        {
            return new Submitted(SubmitOutcome.LinkUnusable, link?.Value.Locale);
        }
        var record = link.Value;
        var settings = _options.CurrentValue;
        var ipKey = SignInCounters.AddressKey("paymethods", address);
        var accountKey = AccountLimitKey(record.AccountNo);
        if (!await _counters.TryTakeAsync(ipKey, settings.CardAttemptsPerIpPerDay, Day, cancellationToken).ConfigureAwait(false))
        {
            LogRateLimited(_logger, record.LinkId);
            return new Submitted(SubmitOutcome.RateLimited, record.Locale);
        }
        if (!await _counters.TryTakeAsync(accountKey, settings.CardAttemptsPerAccountPerDay, Day, cancellationToken).ConfigureAwait(false))
        {
            await _counters.ReleaseAsync(ipKey, CancellationToken.None).ConfigureAwait(false);
            LogRateLimited(_logger, record.LinkId);
            await AuditAsync(record, AuditOutcome.Rejected, null, "refused: card attempts limit", cancellationToken).ConfigureAwait(false);
            return new Submitted(SubmitOutcome.RateLimited, record.Locale);
        }

        // The claim: only the post that stores SubmittedAt under the eTag it read may act.
        record.SubmittedAt = _timeProvider.GetUtcNow();
        string claimed;
        try
        {
            claimed = await _storage.WriteAsync(LinkKeyOf(state), record, link.ETag, record.ExpiresAt + Afterlife, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            await ReleaseAsync(ipKey, accountKey).ConfigureAwait(false);
            LogSecondSubmit(_logger, record.LinkId);
            return new Submitted(SubmitOutcome.LinkUnusable, record.Locale);
        }

        var key = new BindingKey(record.ChannelId, record.ConversationId, record.UserId, record.Ingress);
        var binding = await _bindings.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (binding is null)
        {
            await ReleaseAsync(ipKey, accountKey).ConfigureAwait(false);
            LogSessionExpired(_logger, record.LinkId);
            return new Submitted(SubmitOutcome.SessionExpired, record.Locale);
        }
        // Invariant 1: the last Aria call before the write, and the account acted on is the one Aria returns.
        var validation = await _aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = binding.AriaSessionId }, cancellationToken).ConfigureAwait(false);
        if (!validation.IsSuccess || validation.Value.AccountNo is not { } accountNo)
        {
            await ReleaseAsync(ipKey, accountKey).ConfigureAwait(false);
            if (validation.Error?.IsSessionInvalid == true)
            {
                await _bindings.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                LogSessionExpired(_logger, record.LinkId);
                return new Submitted(SubmitOutcome.SessionExpired, record.Locale);
            }
            await ReopenAsync(state, record, claimed).ConfigureAwait(false);
            LogUnavailable(_logger, record.LinkId, validation.Error?.Code ?? 0);
            return new Submitted(SubmitOutcome.Unavailable, record.Locale);
        }
        if (accountNo != record.AccountNo)
        {
            await ReleaseAsync(ipKey, accountKey).ConfigureAwait(false);
            LogAccountChanged(_logger, record.LinkId);
            return new Submitted(SubmitOutcome.AccountChanged, record.Locale);
        }

        var update = await _aria.UpdatePaymentMethodAsync(new UpdatePaymentMethodMRequest
        {
            AcctNo = accountNo,
            PaymentMethodNo = record.ReplacesPaymentMethodNo,
            PayMethodType = 1,
            CcNum = card.Number,
            CcExpireMm = card.Month,
            CcExpireYyyy = card.Year,
            Cvv = card.Cvv,
            ClientReceiptId = record.ReceiptId,
        }, cancellationToken).ConfigureAwait(false);
        // A used receipt after the client's own retry means the first attempt committed: still one method.
        if (update.IsSuccess || update.Error?.LikelyCommittedByEarlierAttempt == true)
        {
            var label = await LabelAsync(accountNo, update.IsSuccess ? update.Value.SeqNo : null, card, cancellationToken).ConfigureAwait(false);
            record.Outcome = "added";
            await FinishAsync(state, record, claimed).ConfigureAwait(false);
            await AuditAsync(record, AuditOutcome.Committed, null, label.ToString(), CancellationToken.None).ConfigureAwait(false);
            LogAdded(_logger, record.LinkId);
            await _notice.TellAddedAsync(record, label, CancellationToken.None).ConfigureAwait(false);
            return new Submitted(SubmitOutcome.Added, record.Locale, label);
        }
        var error = update.Error!;
        // A used receipt without a retry cannot be this link's (claimed once, reopened only after Aria said no): not
        // proven either way, so it is treated like a lost answer.
        if (error.Kind == AriaErrorKind.Aria && !error.OutcomeUnknown && !error.IsReceiptAlreadyUsed)
        {
            // Aria answered no: nothing was written and the receipt is unused, so the customer may correct and retry
            // on the same link (each try counts against the card-testing limits).
            await ReopenAsync(state, record, claimed).ConfigureAwait(false);
            await AuditAsync(record, AuditOutcome.Rejected, error.Code, null, CancellationToken.None).ConfigureAwait(false);
            LogRefused(_logger, record.LinkId, error.Code);
            return new Submitted(SubmitOutcome.CardRefused, record.Locale, AriaError: error.Code);
        }
        // The answer was lost: Aria may have added the card. Never retried; the chat is told to check.
        record.Outcome = "unknown";
        await FinishAsync(state, record, claimed).ConfigureAwait(false);
        await AuditAsync(record, AuditOutcome.Unknown, null, null, CancellationToken.None).ConfigureAwait(false);
        LogUnknown(_logger, record.LinkId);
        await _notice.TellUnknownAsync(record, CancellationToken.None).ConfigureAwait(false);
        return new Submitted(SubmitOutcome.Unknown, record.Locale);
    }

    /// <summary>Aria's own view of the new method (brand, last digits, expiry); the typed card only when Aria cannot say.</summary>
    private async Task<MaskedCard> LabelAsync(long accountNo, long? newMethodNo, CardInput card, CancellationToken cancellationToken)
    {
        var methods = await PaymentMethodsOnFile.ReadAsync(_aria, accountNo, cancellationToken).ConfigureAwait(false);
        var suffix = card.Number[^4..];
        var added = methods.IsSuccess
            ? methods.Value.FirstOrDefault(m => newMethodNo is not null ? m.PaymentMethodNo == newMethodNo : m.Suffix == suffix && m.Expires == (card.Month, card.Year) && m.IsActive)
            : null;
        return added is { Expires: { } expires }
            ? new MaskedCard(added.CardType ?? CardBrand.Of(card.Number), added.Suffix, expires)
            : new MaskedCard(CardBrand.Of(card.Number), suffix, (card.Month, card.Year));
    }

    private async Task ReopenAsync([SecretData] string state, PaymentMethodLinkRecord record, string eTag)
    {
        record.SubmittedAt = null;
        try
        {
            await _storage.WriteAsync(LinkKeyOf(state), record, eTag, record.ExpiresAt + Afterlife, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Nothing else writes a claimed link; if something did, the link stays used (fail closed).
        }
    }

    private Task FinishAsync([SecretData] string state, PaymentMethodLinkRecord record, string eTag) =>
        _storage.WriteAsync(LinkKeyOf(state), record, eTag, record.ExpiresAt + Afterlife, CancellationToken.None);

    private async Task ReleaseAsync(string ipKey, string accountKey)
    {
        await _counters.ReleaseAsync(ipKey, CancellationToken.None).ConfigureAwait(false);
        await _counters.ReleaseAsync(accountKey, CancellationToken.None).ConfigureAwait(false);
    }

    private Task AuditAsync(PaymentMethodLinkRecord record, AuditOutcome outcome, long? ariaError, string? detail, CancellationToken cancellationToken) =>
        _audit.AppendAsync(new AuditEntry
        {
            Id = Guid.NewGuid().ToString("N"),
            At = _timeProvider.GetUtcNow(),
            AccountNo = record.AccountNo,
            Call = "update_payment_method_m",
            Outcome = outcome,
            ChannelId = record.ChannelId,
            ConversationId = record.ConversationId,
            ReceiptId = record.ReceiptId,
            AriaErrorCode = ariaError,
            Detail = detail ?? (record.ReplacesPaymentMethodNo is { } replaced ? $"replace payment method {replaced}" : "add payment method"),
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: refused, too many card attempts today")]
    private static partial void LogRateLimited(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: a second submit was refused")]
    private static partial void LogSecondSubmit(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment-method link {LinkId}: the chat's session has ended; nothing written")]
    private static partial void LogSessionExpired(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: Aria names another account for the session; nothing written")]
    private static partial void LogAccountChanged(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: Aria could not be asked (error {Code}); nothing written")]
    private static partial void LogUnavailable(ILogger logger, string linkId, long code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment-method link {LinkId}: method added")]
    private static partial void LogAdded(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment-method link {LinkId}: Aria refused the card (error {Code})")]
    private static partial void LogRefused(ILogger logger, string linkId, long code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment-method link {LinkId}: the answer to the write was lost; not retried")]
    private static partial void LogUnknown(ILogger logger, string linkId);
}
