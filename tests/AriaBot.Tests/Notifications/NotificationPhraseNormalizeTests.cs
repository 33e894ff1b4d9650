using AriaBot.Notifications.Subscriptions;
using AriaBot.Tests.Shape;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// Every chat message is checked against the notification phrases; an ASCII message is normalised on the stack
/// (issue 22). That shortcut must give exactly what <c>Normalize</c> gives, or a phrase would stop (or start) matching.
/// </summary>
public sealed class NotificationPhraseNormalizeTests
{
    public static TheoryData<string> Crafted() =>
    [
        "hi", "help", "what can you do?", "  Stop   Notifications!! ", "STOP.", "stop ?", "stop!?.", "\tnotify me\r\n",
        "Notify ME by E-mail", "...", "?", " ", "a  b\t\tc", "opt out.", "what's new?!", "x.y", "end. ", "notify\u000bme",
        "ok !", "Turn OFF notifications", "?stop", "stop?!  ", "12 34", "¿stop?", "avísame", "NOTIFY  me .",
    ];

    [Theory]
    [MemberData(nameof(Crafted))]
    public void The_ascii_shortcut_gives_what_normalize_gives(string text) => AssertSame(text);

    [Fact]
    public void The_ascii_shortcut_gives_what_normalize_gives_on_every_line_of_the_dialog_files()
    {
        var lines = Directory.EnumerateFiles(Path.Combine(SourceTree.Root, "dialogs"), "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".lg", StringComparison.Ordinal) || path.EndsWith(".lu", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Select(line => line.TrimStart('-', '#', ' '))
            .Where(line => line.Length is > 0 and <= 80)
            .ToList();
        Assert.True(lines.Count > 1_000, $"only {lines.Count} lines found");
        foreach (var line in lines)
        {
            AssertSame(line);
            AssertSame(line.ToUpperInvariant() + " !");
        }
    }

    private static void AssertSame(string text)
    {
        Span<char> buffer = stackalloc char[80];
        if (NotificationCommandsMiddleware.TryNormalizeAscii(text, buffer, out var length))
        {
            Assert.True(text.All(char.IsAscii), text);
            Assert.Equal(NotificationCommandsMiddleware.Normalize(text), buffer[..length].ToString());
        }
        else
        {
            Assert.False(text.All(char.IsAscii) && text.Length <= buffer.Length, text);
        }
    }
}
