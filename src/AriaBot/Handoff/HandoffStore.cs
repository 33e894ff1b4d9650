using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using BotRuntime.State;
using Microsoft.Extensions.Options;

namespace AriaBot.Handoff;

/// <summary>What an eTag-checked change decided: keep the change, or leave the case as it is.</summary>
public enum CaseChange
{
    Write,
    Keep,
}

/// <summary>
/// Handoff cases in the state store: <c>handoff/cases/{id}</c> (the id starts with the request time, so a prefix read
/// is the queue in order) and <c>handoff/active/{conversationKey}</c> → the open case's id. Every change is a read,
/// a decision and a write with the read's eTag, retried on conflict, so concurrent changes from any instance are
/// decided one after the other on fresh data.
/// </summary>
public sealed partial class HandoffStore(IStorage storage, IOptionsMonitor<HandoffOptions> options, TimeProvider timeProvider)
{
    private const string CasePrefix = "handoff/cases/";
    private const string ActivePrefix = "handoff/active/";
    private const int MaxConflictRetries = 32;

    /// <summary>A new id: the request time (for order) and 128 random bits (so ids cannot be guessed from each other).</summary>
    public string NewId() =>
        timeProvider.GetUtcNow().UtcTicks.ToString("D20", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="id"/> has the shape of a case id (anything else is refused before the store is asked).</summary>
    public static bool IsWellFormedId(string? id) => id is not null && IdPattern().IsMatch(id);

    public async Task<bool> CreateAsync(HandoffCase handoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        var expires = handoff.RequestedAt + options.CurrentValue.Retention;
        var key = ActivePrefix + handoff.ConversationKey;
        try
        {
            // The pointer first: a second "agent" in the same conversation finds the first case and makes no twin.
            var pointer = await storage.ReadAsync<string>(key, cancellationToken).ConfigureAwait(false);
            if (pointer is not null && (await GetAsync(pointer.Value, cancellationToken).ConfigureAwait(false))?.IsOpen == true)
            {
                return false;
            }
            // A pointer left behind by a closed case (a crash between its two writes) is replaced, eTag-checked.
            await storage.WriteAsync(key, handoff.Id, pointer?.ETag, expires, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return false;
        }
        await storage.WriteAsync(CasePrefix + handoff.Id, handoff, eTag: null, expires, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<HandoffCase?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }
        return (await storage.ReadAsync<HandoffCase>(CasePrefix + id, cancellationToken).ConfigureAwait(false))?.Value;
    }

    /// <summary>The open case of a conversation, if any.</summary>
    public async Task<HandoffCase?> ActiveAsync(string conversationKey, CancellationToken cancellationToken)
    {
        var pointer = await storage.ReadAsync<string>(ActivePrefix + conversationKey, cancellationToken).ConfigureAwait(false);
        if (pointer is null)
        {
            return null;
        }
        var handoff = await GetAsync(pointer.Value, cancellationToken).ConfigureAwait(false);
        return handoff is { IsOpen: true } ? handoff : null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current case, retrying on fresh data when another writer came first.
    /// Returns the case as stored afterwards and whether this change was written; null when there is no such case.
    /// A case that is no longer open loses its conversation's pointer, so the bot answers that conversation again.
    /// </summary>
    public async Task<(HandoffCase Case, bool Changed)?> UpdateAsync(string id, Func<HandoffCase, CaseChange> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!IsWellFormedId(id))
        {
            return null;
        }
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.ReadAsync<HandoffCase>(CasePrefix + id, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }
            var handoff = stored.Value;
            if (change(handoff) == CaseChange.Keep)
            {
                return (handoff, false);
            }
            try
            {
                await storage.WriteAsync(CasePrefix + id, handoff, stored.ETag, handoff.RequestedAt + options.CurrentValue.Retention, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException) when (attempt < MaxConflictRetries)
            {
                continue;
            }
            if (!handoff.IsOpen)
            {
                await ClearPointerAsync(handoff, cancellationToken).ConfigureAwait(false);
            }
            return (handoff, true);
        }
    }

    /// <summary>Cases, oldest first: the open ones (the queue) and, with <paramref name="closed"/>, the history.</summary>
    public async Task<IReadOnlyList<HandoffCase>> ListAsync(bool open, bool closed, int limit, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync(CasePrefix, limit, cancellationToken).ConfigureAwait(false);
        List<HandoffCase> cases = [];
        foreach (var item in items)
        {
            try
            {
                if (item.Value.Document.Deserialize<HandoffCase>(StateJson.Options) is { } handoff && (handoff.IsOpen ? open : closed))
                {
                    cases.Add(handoff);
                }
            }
            catch (JsonException)
            {
                // One unreadable record costs that record, not the agents' whole queue.
            }
        }
        return cases;
    }

    /// <summary>Records that an agent read a case's transcript (who, when): <c>handoff/views/{id}/…</c>.</summary>
    public async Task AuditViewAsync(string id, string agentId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var key = $"handoff/views/{id}/{now.UtcTicks.ToString("D20", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
        await storage.WriteAsync(key, new HandoffView(agentId, now), eTag: null, now + options.CurrentValue.Retention, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<HandoffView>> ViewsAsync(string id, CancellationToken cancellationToken)
    {
        var items = await storage.ReadPrefixAsync($"handoff/views/{id}/", 1000, cancellationToken).ConfigureAwait(false);
        return [.. items.Select(item => item.Value.Document.Deserialize<HandoffView>(StateJson.Options)).OfType<HandoffView>()];
    }

    private async Task ClearPointerAsync(HandoffCase handoff, CancellationToken cancellationToken)
    {
        var key = ActivePrefix + handoff.ConversationKey;
        var pointer = await storage.ReadAsync<string>(key, cancellationToken).ConfigureAwait(false);
        // Only this case's pointer: a newer handoff in the same conversation keeps its own.
        if (pointer?.Value == handoff.Id)
        {
            await storage.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex("^[0-9]{20}-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>One reading of a case's transcript by an agent (the audit of views).</summary>
public sealed record HandoffView(string AgentId, DateTimeOffset At);
