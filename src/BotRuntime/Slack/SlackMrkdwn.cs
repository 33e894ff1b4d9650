using System.Text;
using System.Text.RegularExpressions;

namespace BotRuntime.Slack;

/// <summary>
/// Text for Slack's mrkdwn. Everything is escaped first (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so a plan name from
/// Aria or a name a customer typed can never become <c>&lt;!channel&gt;</c>, <c>&lt;@U…&gt;</c> or a disguised link;
/// only then are the bot's own Markdown links and bold turned into Slack's forms.
/// </summary>
public static partial class SlackMrkdwn
{
    /// <summary>Escapes the three characters Slack treats as control sequences.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return builder.ToString();
    }

    /// <summary>The bot's Markdown (links, bold) as mrkdwn, with all other text escaped.</summary>
    public static string FromMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var escaped = Escape(markdown);
        // After escaping, a URL holds no '<', '>' or '|'-breaking characters of its own; only http(s) links become links.
        var linked = LinkPattern().Replace(escaped, match => $"<{match.Groups["url"].Value}|{match.Groups["label"].Value.Replace("|", "¦", StringComparison.Ordinal)}>");
        return BoldPattern().Replace(linked, match => $"*{match.Groups["inner"].Value}*");
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, marking the cut.</summary>
    public static string Limit(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }

    [GeneratedRegex(@"\[(?<label>[^\]\r\n]{1,200})\]\((?<url>https?://[^\s)|]{1,2000})\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\*\*(?<inner>[^*\r\n]{1,500})\*\*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex BoldPattern();
}
