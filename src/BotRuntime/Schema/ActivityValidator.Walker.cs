using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace BotRuntime.Schema;

public static partial class ActivityValidator
{
    /// <summary>A nested part's check; the walker is passed by reference so that it is never boxed or copied.</summary>
    private delegate void Check(ref Walker walker, JsonElement element);

    /// <summary>Where the walk is: a property name, and its index when it is a list entry (else -1).</summary>
    private readonly record struct Step(string Name, int Index);

    /// <summary>The steps from the root to the object being checked; the schema nests two deep (<c>$.relatesTo.user</c>).</summary>
    [InlineArray(MaxSteps)]
    private struct Steps
    {
        private Step _first;
    }

    private const int MaxSteps = 4;

    /// <summary>The checks on one value; errors are gathered (at most <see cref="MaxErrors"/>), each with its JSON path.</summary>
    private partial struct Walker
    {
        private List<ActivityValidationError>? _errors;
        private Steps _steps;
        private int _depth;

        /// <summary>Set when the one-walk reader met something it leaves to the old path (ActivityValidator.Reader.cs).</summary>
        private bool _unsure;

        public readonly IReadOnlyList<ActivityValidationError> Errors => _errors ?? (IReadOnlyList<ActivityValidationError>)[];

        private readonly bool Full => _errors is { Count: >= MaxErrors };

        /// <summary>Records an error at the current object's <paramref name="name"/> (and <paramref name="index"/>); null names the object itself.</summary>
        private void Add(string? name, int index, string message)
        {
            if (Full)
            {
                return;
            }
            var path = new StringBuilder("$");
            for (var i = 0; i < _depth; i++)
            {
                Append(path, _steps[i].Name, _steps[i].Index);
            }
            if (name is not null)
            {
                Append(path, name, index);
            }
            (_errors ??= []).Add(new ActivityValidationError(path.ToString(), message));
        }

        private static void Append(StringBuilder path, string name, int index)
        {
            path.Append('.').Append(name);
            if (index >= 0)
            {
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        private void Into(JsonElement value, string name, int index, Check check)
        {
            _steps[_depth++] = new Step(name, index);
            check(ref this, value);
            _depth--;
        }

        private static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
            parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

        /// <summary>A JSON string escape may name half a surrogate pair (<c>"\ud800"</c>), which .NET cannot read as a string.</summary>
        private static bool TryGetText(JsonElement value, out string text)
        {
            try
            {
                text = value.GetString()!;
                return true;
            }
            catch (InvalidOperationException)
            {
                text = "";
                return false;
            }
        }

        /// <summary>
        /// The string's UTF-8 bytes as sent, when they are its text: no escape in them. Almost every value is so, and is
        /// then checked without being read into a .NET string.
        /// </summary>
        private static bool TryGetPlainUtf8(JsonElement value, out ReadOnlySpan<byte> utf8)
        {
            var raw = JsonMarshal.GetRawUtf8Value(value);
            utf8 = raw[1..^1];
            return !utf8.Contains((byte)'\\') && Utf8.IsValid(utf8);
        }

        public void String(JsonElement parent, string name, int maxLength, Text kind)
        {
            if (!Full && TryGet(parent, name, out var value))
            {
                CheckString(value, name, -1, maxLength, kind);
            }
        }

        private void CheckString(JsonElement value, string name, int index, int maxLength, Text kind)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                Add(name, index, "must be a string");
                return;
            }
            if (TryGetPlainUtf8(value, out var utf8))
            {
                // Length in UTF-16 units, as string.Length counts it; a UTF-8 byte never stands for more than one unit.
                var length = utf8.Length <= maxLength ? utf8.Length : Encoding.UTF8.GetCharCount(utf8);
                if (length > maxLength)
                {
                    Add(name, index, string.Create(CultureInfo.InvariantCulture, $"is longer than {maxLength} characters"));
                }
                else if (HasControl(utf8, kind))
                {
                    Add(name, index, "contains a control character");
                }
                return;
            }
            if (!TryGetText(value, out var text))
            {
                Add(name, index, "is not valid UTF-16 text (an unpaired surrogate)");
                return;
            }
            if (text.Length > maxLength)
            {
                Add(name, index, string.Create(CultureInfo.InvariantCulture, $"is longer than {maxLength} characters"));
                return;
            }
            foreach (var c in text)
            {
                if (IsControl(c) && !(kind == Text.Free && c is '\r' or '\n' or '\t'))
                {
                    Add(name, index, "contains a control character");
                    return;
                }
            }
        }

        /// <summary><see cref="IsControl"/> over valid UTF-8: C0 and DEL are single bytes, C1 (U+0080-U+009F) is C2 80-C2 9F.</summary>
        private static bool HasControl(ReadOnlySpan<byte> utf8, Text kind)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                var b = utf8[i];
                if ((b < 0x20 && !(kind == Text.Free && b is (byte)'\r' or (byte)'\n' or (byte)'\t'))
                    || b == 0x7f
                    || (b == 0xc2 && i + 1 < utf8.Length && utf8[i + 1] is >= 0x80 and <= 0x9f))
                {
                    return true;
                }
            }
            return false;
        }

        public void Id(JsonElement parent, string name, int maxLength, bool required)
        {
            if (Full)
            {
                return;
            }
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(name, -1, "is required");
                }
                return;
            }
            CheckId(value, name, maxLength);
        }

        private void CheckId(JsonElement value, string name, int maxLength)
        {
            if (value.ValueKind == JsonValueKind.String && IsBlank(value))
            {
                Add(name, -1, "must not be empty");
                return;
            }
            CheckString(value, name, -1, maxLength, Text.Line);
        }

        /// <summary>string.IsNullOrWhiteSpace of the value; read as a string only when its bytes cannot tell.</summary>
        private static bool IsBlank(JsonElement value)
        {
            if (TryGetPlainUtf8(value, out var utf8))
            {
                foreach (var b in utf8)
                {
                    if (b < 0x80 && b is not ((byte)' ' or (>= 0x09 and <= 0x0d)))
                    {
                        return false;
                    }
                }
                if (Ascii.IsValid(utf8))
                {
                    return true;
                }
            }
            return TryGetText(value, out var text) && string.IsNullOrWhiteSpace(text);
        }

        public void Timestamp(JsonElement parent, string name)
        {
            if (!Full && TryGet(parent, name, out var value) && !TryTimestamp(value, out _))
            {
                Add(name, -1, "must be an ISO-8601 date-time string");
            }
        }

        /// <summary>Parsed as <see cref="Iso8601DateTimeOffsetConverter"/> reads it, so the instant checked is the one kept.</summary>
        private static bool TryTimestamp(JsonElement value, out DateTimeOffset instant)
        {
            const int MaxLength = 64;
            instant = default;
            if (value.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            if (TryGetPlainUtf8(value, out var utf8))
            {
                Span<char> chars = stackalloc char[MaxLength];
                return utf8.Length <= MaxLength && Encoding.UTF8.TryGetChars(utf8, chars, out var written)
                    && DateTimeOffset.TryParse(chars[..written], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out instant);
            }
            return TryGetText(value, out var text) && text.Length <= MaxLength
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out instant);
        }

        public void Boolean(JsonElement parent, string name)
        {
            if (!Full && TryGet(parent, name, out var value))
            {
                Flag(value, name);
            }
        }

        private bool? Flag(JsonElement value, string name)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                case JsonValueKind.Null: return null;
                default:
                    Add(name, -1, "must be true or false");
                    return null;
            }
        }

        public void Integer(JsonElement parent, string name)
        {
            if (!Full && TryGet(parent, name, out var value) && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _)))
            {
                Add(name, -1, "must be a 32-bit integer");
            }
        }

        private void Object(JsonElement parent, string name, Check check)
        {
            if (Full || !TryGet(parent, name, out var value))
            {
                return;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                Add(name, -1, "must be an object");
                return;
            }
            Into(value, name, -1, check);
        }

        private void List(JsonElement parent, string name, Check check, int maxEntries = MaxListEntries)
        {
            if (Full || !TryGet(parent, name, out var value) || !CheckArray(value, name, maxEntries))
            {
                return;
            }
            var index = 0;
            foreach (var entry in value.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    Add(name, index++, entry.ValueKind == JsonValueKind.Null ? "must be an object, not null" : "must be an object");
                    continue;
                }
                Into(entry, name, index++, check);
            }
        }

        private void StringList(JsonElement parent, string name, Text kind)
        {
            if (Full || !TryGet(parent, name, out var value) || !CheckArray(value, name))
            {
                return;
            }
            var index = 0;
            foreach (var entry in value.EnumerateArray())
            {
                CheckString(entry, name, index++, MaxShortStringLength, kind);
            }
        }

        private bool CheckArray(JsonElement value, string name, int maxEntries = MaxListEntries)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                Add(name, -1, "must be an array");
                return false;
            }
            if (value.GetArrayLength() > maxEntries)
            {
                Add(name, -1, string.Create(CultureInfo.InvariantCulture, $"has more than {maxEntries} entries"));
                return false;
            }
            return true;
        }
    }
}
