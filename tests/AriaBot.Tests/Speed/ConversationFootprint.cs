using System.Text;
using System.Text.RegularExpressions;
using BotRuntime.State;

namespace AriaBot.Tests.Speed;

/// <summary>
/// What the state store keeps after one-turn conversations (issue 22, memory after 10,000 conversations): every
/// stored row grouped by the first segment of its key (<c>transcripts</c>, <c>conversations</c>, deliveries…), with
/// its count and the UTF-8 size of its key and document. The memory store keeps a document as JSON text, so these
/// sizes are (half) what it holds per row, before the per-entry overhead.
/// </summary>
internal static partial class ConversationFootprint
{
    public sealed record Kind(string Name, int Rows, long KeyBytes, long DocumentBytes)
    {
        public override string ToString() => $"{Name,-28} rows {Rows,6}  key {KeyBytes,9:N0} B  document {DocumentBytes,10:N0} B";
    }

    public static async Task<IReadOnlyList<Kind>> InventoryAsync(IStorage storage)
    {
        var rows = await storage.ReadPrefixAsync("", int.MaxValue);
        return [.. rows.GroupBy(row => KindOf(row.Key)).OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => new Kind(group.Key, group.Count(),
            group.Sum(row => (long)Encoding.UTF8.GetByteCount(row.Key)), group.Sum(row => (long)Encoding.UTF8.GetByteCount(row.Value.Document.GetRawText()))))];
    }

    // The key with ids, numbers and times folded to "*", cut after three segments:
    // "webchat/conversations/footprint-7" and "…/footprint-8" are one kind.
    private static string KindOf(string key) =>
        string.Join('/', Ids().Replace(key, "*").Split('/').Take(3));

    [GeneratedRegex(@"footprint-\d+|perf-[0-9a-f]+|[0-9a-f]{16,}|\d{4,}[-0-9a-z]*", RegexOptions.CultureInvariant)]
    private static partial Regex Ids();
}
