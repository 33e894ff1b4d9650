using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace BotRuntime.Logging;

/// <summary>
/// Formats console lines so that nothing a request carried can forge a line or drive the terminal. Log values come
/// from the wire (a <c>channelId</c>, a request path, an error from a channel); a CR/LF in one starts what looks like
/// a new, trusted log line, and an ESC sequence recolours or rewrites what an operator sees. So every control
/// character (C0, DEL, C1, the Unicode line/paragraph separators and the bidi overrides) in the formatted line is
/// written as a visible escape (<c>\r</c>, <c>\n</c>, <c>\u001B</c>…), whatever property, scope value or template
/// it came through. An exception's own line breaks are kept for readability, but every one of its lines is indented,
/// so no line an exception carries can pass for a log line of its own.
/// </summary>
public sealed class ControlCharacterSafeFormatter(string lineTemplate, IFormatProvider? formatProvider = null) : ITextFormatter
{
    private const string ExceptionIndent = "    ";

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c),
         .. Enumerable.Range(0x7f, 0x21).Select(c => (char)c),
         '\u2028', '\u2029',
         '\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
         '\u2066', '\u2067', '\u2068', '\u2069']);

    private readonly MessageTemplateTextFormatter _line = new(lineTemplate, formatProvider ?? CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var line = new StringWriter(CultureInfo.InvariantCulture);
        _line.Format(logEvent, line);
        output.Write(Escape(line.ToString()));
        output.Write(Environment.NewLine);
        if (logEvent.Exception is { } exception)
        {
            foreach (var exceptionLine in exception.ToString().ReplaceLineEndings("\n").Split('\n'))
            {
                output.Write(ExceptionIndent);
                output.Write(Escape(exceptionLine));
                output.Write(Environment.NewLine);
            }
        }
    }

    /// <summary>The text with every character that could break or restyle a log line written as a visible escape.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r': escaped.Append("\\r"); break;
                case '\n': escaped.Append("\\n"); break;
                case '\t': escaped.Append("\\t"); break;
                default:
                    if (Unsafe.Contains(c))
                    {
                        escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        escaped.Append(c);
                    }
                    break;
            }
        }
        return escaped.ToString();
    }

}
