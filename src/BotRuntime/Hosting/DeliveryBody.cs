using System.Buffers;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BotRuntime.Hosting;

/// <summary>
/// The reply body a delivery record keeps to answer a redelivery of an expectReplies or invoke activity, stored
/// compressed when it is large (issue 22). It is kept the whole redelivery window (a client may retry that late) and
/// answered byte for byte, so it cannot be dropped or cut; but an expectReplies body is mostly the same activity fields
/// over and over (ids, from, recipient, conversation, a menu's buttons twice), about 1.9 KB for "hi", in every
/// conversation's record. Brotli brings that to a quarter; bodies under <see cref="PackFrom"/> bytes stay plain JSON.
/// </summary>
/// <remarks>
/// Stored as <c>packedBody</c>: the base64 of the Brotli-compressed UTF-8 JSON (a <c>byte[]</c> in the record, which the
/// serialiser writes and reads as base64). Records written before keep
/// <c>body</c> and are answered as before. A record read by a build older than this one answers a redelivery with the
/// status and no body: the turn is still not run again (invariant 5), only the replies are not repeated.
/// </remarks>
internal static class DeliveryBody
{
    /// <summary>Bodies smaller than this (UTF-8 bytes) are kept as JSON: compression would save next to nothing.</summary>
    internal const int PackFrom = 512;

    // Quality 2 of 11. Measured on a 1,770-byte menu reply (issue 22, 4 interleaved rounds): quality 4 packs it to 525 B
    // in ~31 us of CPU, quality 2 to 571 B (9 % more) in ~10 us, quality 1 to 586 B in ~9 us. The record is written
    // every turn and read only on a redelivery, so the cheaper pack wins; unpacking does not depend on the quality, so
    // records written at quality 4 read as before.
    internal const int Quality = 2;
    private const int Window = 22;

    /// <summary>What the record stores for <paramref name="body"/>: the JSON itself when small, else its packed form.</summary>
    public static (JsonElement? Body, byte[]? Packed) Pack(JsonElement? body) =>
        body is { } element ? Pack(JsonMarshal.GetRawUtf8Value(element), element) : (null, null);

    /// <summary>
    /// The same for a body held as UTF-8 JSON (the turn's answer, serialised once), for the done record written by
    /// <see cref="DeliveryRecordJson"/>: a small body is kept as those bytes and written into the record as they are,
    /// never parsed into an element (issue 22: a parse and a copy per turn); a large one is packed straight from them.
    /// </summary>
    /// <remarks>
    /// The packed form is the compressed bytes themselves: the record's serialiser writes a <c>byte[]</c> as the same
    /// base64 string it held before, straight into the record's JSON, where a base64 string made here was a second copy
    /// twice the size (issue 22: 3.5 % of an unsigned turn's allocations).
    /// </remarks>
    public static (byte[]? Plain, byte[]? Packed) PackForRecord(byte[]? body)
    {
        if (body is null || body.Length < PackFrom)
        {
            return (body, null);
        }
        var (_, packed) = Pack(body, element: null);
        return packed is null ? (body, null) : (null, packed);
    }

    private static (JsonElement? Body, byte[]? Packed) Pack(ReadOnlySpan<byte> json, JsonElement? element)
    {
        if (json.Length < PackFrom)
        {
            return (element ?? JsonSerializer.Deserialize<JsonElement>(json), null);
        }
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(json.Length));
        try
        {
            return BrotliEncoder.TryCompress(json, buffer, out var written, Quality, Window)
                ? (null, buffer.AsSpan(0, written).ToArray())
                : (element ?? JsonSerializer.Deserialize<JsonElement>(json), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The body to answer with: the stored JSON, or the packed form (as the record's JSON holds it: base64) unpacked.</summary>
    public static JsonElement? Unpack(JsonElement? body, string? packed)
    {
        if (UnpackUtf8(body, packed is null ? null : Convert.FromBase64String(packed)) is not { } json)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The body to answer with as UTF-8 JSON: the bytes answered the first time (the ingress writes them as they are).</summary>
    public static byte[]? UnpackUtf8(JsonElement? body, byte[]? packed)
    {
        if (packed is null)
        {
            return body is { } element ? JsonMarshal.GetRawUtf8Value(element).ToArray() : null;
        }
        using var source = new MemoryStream(packed);
        using var brotli = new BrotliStream(source, CompressionMode.Decompress);
        using var json = new MemoryStream();
        brotli.CopyTo(json);
        return json.ToArray();
    }
}
