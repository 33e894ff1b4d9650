using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace AriaBot.Notifications.Receiver;

/// <summary>
/// What the assistant keeps of one Aria event notification (reference §13): who, which events, and the id to
/// de-duplicate by. Everything else in the document (the <c>auth_key</c>, user id, password, addresses, amounts) is
/// dropped here, so nothing of it reaches the outbox, the store or a log. The event is only a trigger: what the
/// customer is shown comes from Aria, after a session check, in the turn the notice's button starts.
/// </summary>
/// <param name="PaymentFailed">
/// Inferred (§13 documents no failed-payment event): a financial-transaction document whose event label or a
/// status element speaks of a failure or a decline.
/// </param>
public sealed record AriaEvent(string TransactionId, string Class, string Action, long AccountNo, IReadOnlyList<int> EventIds, bool PaymentFailed);

/// <summary>A parsed document, or why it was refused (a plain sentence for the 400 body; never the payload).</summary>
public sealed record AriaEventParse(AriaEvent? Event, string? AuthKey, string? Error)
{
    public static AriaEventParse Refused(string error) => new(null, null, error);
}

/// <summary>
/// Reads Aria's two event formats: the XML document (<c>&lt;apf2doc&gt;</c>) and name-value pairs (a form). DTDs
/// and external entities are refused (a document is untrusted until its key matched, and even then).
/// </summary>
public static class AriaEventReader
{
    /// <summary>Classes whose events this assistant understands: account and master plan instance, financial transactions, orders.</summary>
    private static readonly string[] KnownClasses = ["A", "T", "O"];

    private static readonly string[] FailureWords = ["fail", "declin", "rechaz", "error"];

    public static AriaEventParse ReadXml(string body)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = AriaEventsOptions.MaxBodyBytes,
            });
            document = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return AriaEventParse.Refused("The body is not a well-formed XML document.");
        }
        if (document.Root is not { Name.LocalName: "apf2doc" } root)
        {
            return AriaEventParse.Refused("The document's root element is not apf2doc.");
        }
        if (root.Element("request") is not { } request)
        {
            return AriaEventParse.Refused("The document has no request element.");
        }
        var accountNo = root.Descendants("acct_no").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        var events = root.Element("event_data")?.Elements("event").ToList() ?? [];
        var eventIds = events.Select(e => (string?)e.Element("event_id") ?? (string?)e.Element("event_no")).ToList();
        var labels = events.Select(e => (string?)e.Element("event_label") ?? string.Empty);
        var statuses = root.Descendants().Where(e => !e.HasElements && e.Name.LocalName.Contains("status", StringComparison.OrdinalIgnoreCase)).Select(e => e.Value);
        return Build(
            Text(request, "transaction_id"),
            Text(request, "class") ?? Text(request, "class_name"),
            Text(request, "action"),
            Text(request, "sender"),
            Text(request, "auth_key"),
            accountNo,
            eventIds,
            [.. labels, .. statuses]);
    }

    /// <summary>
    /// The name-value format (inferred field names, the XML's element names): <c>transaction_id</c>, <c>class</c>,
    /// <c>action</c>, <c>sender</c>, <c>auth_key</c>, <c>acct_no</c>, <c>event_id</c> (repeated or comma-separated),
    /// <c>event_label</c>, optional <c>status</c>.
    /// </summary>
    public static AriaEventParse ReadNameValue(IReadOnlyDictionary<string, IReadOnlyList<string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? One(string name) => fields.TryGetValue(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() : null;
        IEnumerable<string> All(string name) => fields.TryGetValue(name, out var values) ? values : [];
        var ids = All("event_id").Concat(All("event_id[]")).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Select(v => (string?)v).ToList();
        return Build(One("transaction_id"), One("class") ?? One("class_name"), One("action"), One("sender"), One("auth_key"), One("acct_no"), ids,
            [.. All("event_label"), .. All("status"), .. All("payment_status")]);
    }

    private static AriaEventParse Build(string? transactionId, string? eventClass, string? action, string? sender, string? authKey, string? accountNo, List<string?> eventIds, IReadOnlyList<string> words)
    {
        if (string.IsNullOrEmpty(authKey))
        {
            return AriaEventParse.Refused("The document has no auth_key.");
        }
        if (string.IsNullOrEmpty(transactionId) || transactionId.Length > 100)
        {
            return new(null, authKey, "The document has no usable transaction_id.");
        }
        if (sender is not null && sender != "A")
        {
            return new(null, authKey, "The document's sender is not A (Aria).");
        }
        if (eventClass is null || !KnownClasses.Contains(eventClass, StringComparer.Ordinal))
        {
            return new(null, authKey, "The document's class is missing or not one this assistant handles (A, T or O).");
        }
        if (!long.TryParse(accountNo, NumberStyles.None, CultureInfo.InvariantCulture, out var account) || account <= 0)
        {
            return new(null, authKey, "The document names no account (acct_no).");
        }
        var ids = new List<int>();
        foreach (var id in eventIds)
        {
            if (!int.TryParse(id?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return new(null, authKey, "An event has no numeric event_id.");
            }
            ids.Add(parsed);
        }
        if (ids.Count == 0)
        {
            return new(null, authKey, "The document lists no events (event_data).");
        }
        var failed = eventClass == "T" && words.Any(word => FailureWords.Any(f => word.Contains(f, StringComparison.OrdinalIgnoreCase)));
        return new(new AriaEvent(transactionId, eventClass, action ?? "M", account, ids, failed), authKey, null);
    }

    private static string? Text(XElement parent, string name) => parent.Element(name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
