using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Session;
using AriaBot.SignIn;
using BotRuntime.Builder;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.Statements;

/// <summary>Section <c>Statements</c>: how long a statement link lives, and how often one client address may use the page.</summary>
public sealed class StatementLinkOptions
{
    public const string SectionName = "Statements";

    /// <summary>How long a statement link can be opened after the chat gave it. Default 10 minutes.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests of the statement page (GET and POST) per client address per <see cref="RequestsPerIpWindow"/>. Default 30 a minute.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int RequestsPerIp { get; set; } = 30;

    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The stored link (<c>statements/links/{sha256(token)}</c>): which chat user asked (their binding key, ingress
/// included), for which account and invoice, until when. The token itself is only in the URL; the URL holds no
/// account or invoice number.
/// </summary>
public sealed record StatementLinkRecord(string ChannelId, string ConversationId, string UserId, TurnIngress Ingress, long AccountNo, long InvoiceNo, DateTimeOffset ExpiresAt);

/// <summary>What opening a link gave: the statement, or why not.</summary>
public enum StatementOutcome
{
    Statement,

    /// <summary>Unknown, used or expired (one answer for all three: a guesser learns nothing).</summary>
    Gone,

    /// <summary>The chat's session ended, or now belongs to another account than the one the link was made for.</summary>
    NotSignedIn,

    Unavailable,
}

public sealed record StatementResult(StatementOutcome Outcome, string? Html = null);

/// <summary>
/// Short-lived, single-use links to a statement's content (<c>get_statement_for_invoice_m</c>). Made in the chat after
/// its session check; used only by the page's POST (a link previewer's GET never spends it), which deletes the record
/// first (so two posts cannot both read), then checks the chat's bound session again with <c>validate_session_m</c>
/// and reads the statement only when Aria still names the same account.
/// </summary>
public sealed class StatementLinks(IStorage storage, ISessionBindings bindings, IAriaClient aria, SignInLinks signInLinks, IOptionsMonitor<StatementLinkOptions> options, TimeProvider time)
{
    private const string Prefix = "statements/links/";

    public async Task<Uri> CreateAsync(BindingKey key, long accountNo, long invoiceNo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var token = LinkState.New();
        var expires = time.GetUtcNow() + options.CurrentValue.LinkLifetime;
        var record = new StatementLinkRecord(key.ChannelId, key.ConversationId, key.UserId, key.Ingress, accountNo, invoiceNo, expires);
        await storage.WriteAsync(new Dictionary<string, StoreWrite> { [KeyOf(token)] = new(JsonSerializer.SerializeToElement(record), null, expires) }, cancellationToken).ConfigureAwait(false);
        return new Uri($"{signInLinks.BaseUrl().TrimEnd('/')}/statement?s={token}");
    }

    /// <summary>Whether the link can still be used (for the GET page; spends nothing).</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(token))
        {
            return false;
        }
        var stored = await storage.ReadAsync([KeyOf(token)], cancellationToken).ConfigureAwait(false);
        return stored.TryGetValue(KeyOf(token), out var item) && item.Document.Deserialize<StatementLinkRecord>()!.ExpiresAt > time.GetUtcNow();
    }

    /// <summary>Spends the link and, when the chat's session still holds the same account, reads the statement.</summary>
    public async Task<StatementResult> RedeemAsync(string? token, CancellationToken cancellationToken)
    {
        if (!LinkState.IsWellFormed(token))
        {
            return new StatementResult(StatementOutcome.Gone);
        }
        var key = KeyOf(token);
        var stored = await storage.ReadAsync([key], cancellationToken).ConfigureAwait(false);
        if (!stored.TryGetValue(key, out var item))
        {
            return new StatementResult(StatementOutcome.Gone);
        }
        // Spent before anything else: the eTag makes sure only one of two concurrent posts gets past here.
        try
        {
            await storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(JsonSerializer.SerializeToElement(new { spent = true }), item.ETag, time.GetUtcNow().AddMinutes(1)) }, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return new StatementResult(StatementOutcome.Gone);
        }
        var record = item.Document.Deserialize<StatementLinkRecord>();
        if (record is null || record.ExpiresAt <= time.GetUtcNow())
        {
            return new StatementResult(StatementOutcome.Gone);
        }

        var binding = await bindings.GetAsync(new BindingKey(record.ChannelId, record.ConversationId, record.UserId, record.Ingress), cancellationToken).ConfigureAwait(false);
        if (binding is null)
        {
            return new StatementResult(StatementOutcome.NotSignedIn);
        }
        var validation = await aria.ValidateSessionAsync(new ValidateSessionMRequest { SessionId = binding.AriaSessionId }, cancellationToken).ConfigureAwait(false);
        if (!validation.IsSuccess)
        {
            return new StatementResult(validation.Error.IsUnavailable ? StatementOutcome.Unavailable : StatementOutcome.NotSignedIn);
        }
        if (validation.Value.AccountNo != record.AccountNo)
        {
            // The chat now holds another account's session: this link was for the first account only.
            return new StatementResult(StatementOutcome.NotSignedIn);
        }
        var statement = await aria.GetStatementForInvoiceAsync(new GetStatementForInvoiceMRequest { AcctNo = record.AccountNo, InvoiceNo = record.InvoiceNo, DoEncoding = false }, cancellationToken).ConfigureAwait(false);
        if (!statement.IsSuccess)
        {
            return new StatementResult(StatementOutcome.Unavailable);
        }
        return new StatementResult(StatementOutcome.Statement, statement.Value.OutStatement ?? string.Empty);
    }

    /// <summary>
    /// Counts one request of the page from <paramref name="address"/> (in the state store, so the limit holds across
    /// instances; the address hashed); null when it may go on, else how long to wait.
    /// </summary>
    public async Task<TimeSpan?> TakeRequestFromAsync(System.Net.IPAddress? address, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        return await new SignInCounters(storage, time).TakeFromAddressAsync("statements", address, settings.RequestsPerIp, settings.RequestsPerIpWindow, cancellationToken).ConfigureAwait(false);
    }

    private static string KeyOf(string token) => Prefix + LinkState.Hash(token);
}
