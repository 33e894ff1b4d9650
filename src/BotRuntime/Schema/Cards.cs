using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotRuntime.Schema;

public sealed class Attachment
{
    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }
    public JsonElement? Content { get; set; }
    public string? Name { get; set; }
    public string? ThumbnailUrl { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }

    /// <summary>An Adaptive Card carried as its raw JSON: we never reinterpret what the author wrote.</summary>
    public static Attachment AdaptiveCard(string cardJson)
    {
        using var document = JsonDocument.Parse(cardJson);
        return new Attachment { ContentType = ContentTypes.AdaptiveCard, Content = document.RootElement.Clone() };
    }

    public static Attachment AdaptiveCard(JsonElement card) => new() { ContentType = ContentTypes.AdaptiveCard, Content = card.Clone() };

    /// <summary>Reads <see cref="Content"/> as a typed card, or null when it has another shape.</summary>
    public T? ContentAs<T>() where T : class
    {
        if (Content is not { ValueKind: JsonValueKind.Object } content)
        {
            return null;
        }
        try
        {
            return content.Deserialize<T>(BotJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed class HeroCard
{
    public string? Title { get; set; }
    public string? Subtitle { get; set; }
    public string? Text { get; set; }
    public List<CardImage>? Images { get; set; }
    public List<CardAction>? Buttons { get; set; }
    public CardAction? Tap { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }

    public Attachment ToAttachment() => new()
    {
        ContentType = ContentTypes.HeroCard,
        Content = JsonSerializer.SerializeToElement(this, BotJson.Options),
    };
}

public sealed class CardImage
{
    public string? Url { get; set; }
    public string? Alt { get; set; }
    public CardAction? Tap { get; set; }
}

/// <remarks>
/// <see cref="AsReadOnly"/> makes an action that replies may share (a menu's buttons, made once): every setter of it
/// throws, and <see cref="Activity.Clone"/> passes it on instead of copying it (issue 22: the menu's buttons were made
/// and then copied for every reply).
/// </remarks>
public sealed class CardAction
{
    private bool _readOnly;

    /// <summary>One of <see cref="ActionTypes"/>.</summary>
    public string? Type { get; set => field = Writable(value); }
    public string? Title { get; set => field = Writable(value); }
    public string? Image { get; set => field = Writable(value); }
    public string? ImageAltText { get; set => field = Writable(value); }
    public string? Text { get; set => field = Writable(value); }
    public string? DisplayText { get; set => field = Writable(value); }
    public JsonElement? Value { get; set => field = Writable(value); }
    public JsonElement? ChannelData { get; set => field = Writable(value); }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set => field = Writable(value); }

    /// <summary>True for an action made by <see cref="AsReadOnly"/>.</summary>
    [JsonIgnore]
    public bool IsReadOnly => _readOnly;

    /// <summary>
    /// A copy that can never change, to be shared between replies. Only without extension data: a dictionary handed out
    /// could still be changed.
    /// </summary>
    public CardAction AsReadOnly()
    {
        if (Properties is not null)
        {
            throw new InvalidOperationException("A card action with extension data cannot be made read-only.");
        }
        var copy = SchemaCopy.Of(this);
        copy._readOnly = true;
        return copy;
    }

    private T Writable<T>(T value) =>
        _readOnly ? throw new InvalidOperationException("This card action is read-only (replies share it); change a copy of it instead.") : value;

    /// <summary>A button that posts its title back as visible user text (Web Chat sends <c>text = value</c>).</summary>
    public static CardAction ImBack(string title, string? value = null) =>
        new() { Type = ActionTypes.ImBack, Title = title, Value = JsonSerializer.SerializeToElement(value ?? title) };

    /// <summary>A button whose payload reaches the bot without appearing in the transcript.</summary>
    public static CardAction PostBack(string title, object value) =>
        new() { Type = ActionTypes.PostBack, Title = title, Value = JsonSerializer.SerializeToElement(value, BotJson.Options) };

    /// <summary>A button that shows <paramref name="displayText"/> in the feed, sends <paramref name="text"/> and carries a value.</summary>
    public static CardAction MessageBack(string title, string? text, object? value, string? displayText = null) => new()
    {
        Type = ActionTypes.MessageBack,
        Title = title,
        Text = text,
        DisplayText = displayText,
        Value = value is null ? null : JsonSerializer.SerializeToElement(value, BotJson.Options),
    };

    public static CardAction OpenUrl(string title, string url) =>
        new() { Type = ActionTypes.OpenUrl, Title = title, Value = JsonSerializer.SerializeToElement(url) };
}

public sealed class SuggestedActions
{
    /// <summary>Recipient ids the buttons are for; empty means everyone.</summary>
    public List<string>? To { get; set; }
    public List<CardAction>? Actions { get; set; }
}

public sealed class Entity
{
    public string? Type { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Properties { get; set; }
}

public sealed class MessageReaction
{
    public string? Type { get; set; }
}

public sealed class TextHighlight
{
    public string? Text { get; set; }
    public int? Occurrence { get; set; }
}

public sealed class SemanticAction
{
    public string? Id { get; set; }
    public string? State { get; set; }
    public JsonElement? Entities { get; set; }
}
