using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using AriaBot.Language;
using AriaBot.Notifications;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.Speed;

/// <summary>
/// Work an unsigned turn no longer repeats (issue 22), counted on the real host, never timed: the notification commands'
/// three phrase lists and the time-zone question's phrases are rendered once per culture, not on every message, and still
/// recognise their phrases in both languages (with case, accents and punctuation ignored as before).
/// </summary>
public sealed class TurnWordsRenderTests : IAsyncDisposable
{
    private readonly AssistantTestHost _host = new(services: services =>
    {
        var registered = services.Last(descriptor => descriptor.ServiceType == typeof(IWords));
        services.Remove(registered);
        services.AddSingleton(sp => new CountingWords((IWords)registered.ImplementationFactory!(sp)));
        services.AddSingleton<IWords>(sp => sp.GetRequiredService<CountingWords>());
    });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class CountingWords(IWords inner) : IWords
    {
        public ConcurrentDictionary<string, int> All { get; } = new(StringComparer.Ordinal);

        public string Format(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null) => inner.Format(key, locale, args);

        public IReadOnlyList<string> FormatAll(WordKey key, string? locale, IReadOnlyDictionary<string, object?>? args = null)
        {
            All.AddOrUpdate(key.Name, 1, (_, count) => count + 1);
            return inner.FormatAll(key, locale, args);
        }
    }

    private async Task<IReadOnlyList<string?>> SayAsync(string conversation, string text, string locale)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = Channels.Webchat,
            Conversation = new ConversationAccount { Id = conversation },
            From = new ChannelAccount { Id = "u-" + conversation },
            Recipient = new ChannelAccount { Id = "bot" },
            Text = text,
            Locale = locale,
            DeliveryMode = DeliveryModes.ExpectReplies,
        };
        using var response = await _host.Client.PostAsJsonAsync(new Uri("/api/messages", UriKind.Relative), activity, BotJson.Options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = await response.Content.ReadFromJsonAsync<ExpectedReplies>(BotJson.Options);
        return [.. replies!.Activities.Where(reply => reply.Type == ActivityTypes.Message).Select(reply => reply.Text)];
    }

    [Fact]
    public async Task The_notification_and_time_zone_phrases_are_rendered_once_per_culture_and_still_recognised()
    {
        var words = _host.Services.GetRequiredService<CountingWords>();
        foreach (var (text, locale) in new[] { ("hi", "en-US"), ("help", "en-US"), ("hola", "es-ES"), ("ayuda", "es-ES"), ("what can you do?", "en-US"), ("hi", "fr-FR") })
        {
            await SayAsync("render-" + locale, text, locale);
        }
        // fr-FR falls back to en-US: the same culture, the same lists.
        Assert.Equal(2, words.All[NotificationWords.OptInPhrases.Name]);
        Assert.Equal(2, words.All[NotificationWords.EmailOptInPhrases.Name]);
        Assert.Equal(2, words.All[NotificationWords.OptOutPhrases.Name]);
        // The time-zone question's "change my time zone" phrases too (they were rendered for every message).
        Assert.Equal(2, words.All[NotificationWords.TimeZonePhrases.Name]);

        // Normalisation still applies to what is typed: case, accents, spaces and closing punctuation.
        var english = await SayAsync("render-stop-en", "  Stop   NOTIFICATIONS! ", "en-US");
        Assert.Equal(words.Format(NotificationWords.WasNotOptedIn, "en-US"), Assert.Single(english));
        var spanish = await SayAsync("render-stop-es", "no mas notificaciones", "es-ES");
        Assert.Equal(words.Format(NotificationWords.WasNotOptedIn, "es-ES"), Assert.Single(spanish));
        Assert.Equal(2, words.All[NotificationWords.OptOutPhrases.Name]);
    }
}
