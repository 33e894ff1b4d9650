using System.Globalization;
using System.Text;
using BotRuntime.Recognition;
using BotRuntime.Schema;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>What each channel can show, as the Bot Framework documents it per channel (and the SDK's <c>Channel</c> table).</summary>
public static class ChannelCapabilities
{
    /// <summary>How many suggested actions the channel shows for this conversation; 0 when it shows none.</summary>
    public static int MaxSuggestedActions(Activity inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        return inbound.ChannelId switch
        {
            Channels.DirectLine or Channels.Webchat or Channels.Emulator or Channels.Test or "directlinespeech" => 100,
            // Teams shows suggested actions only in personal chats, and at most three.
            Channels.Msteams => inbound.Conversation?.ConversationType == "personal" ? 3 : 0,
            _ => 0,
        };
    }

    /// <summary>How many buttons a hero card may carry on the channel; 0 when cards with buttons are not shown.</summary>
    public static int MaxCardActions(string? channelId) => channelId switch
    {
        Channels.DirectLine or Channels.Webchat or Channels.Emulator or Channels.Test or "directlinespeech" or Channels.Slack => 100,
        // Teams renders hero cards in every conversation type; its cards reference allows up to six buttons.
        Channels.Msteams => 6,
        _ => 0,
    };
}

/// <summary>Presentation settings for choices; every default is documented on its property.</summary>
public sealed class ChoiceRenderOptions
{
    public static ChoiceRenderOptions Default { get; } = new();

    /// <summary>
    /// The most suggested actions <see cref="ListStyle.Auto"/> uses, below the channel's own limit; more choices
    /// become a hero card. Default 6: a longer row of buttons is hard to scan.
    /// </summary>
    public int MaxSuggestedActions { get; init; } = 6;

    /// <summary>Longest title for inline text ("(1) Gold, (2) Silver"); longer titles use a list. Default 25.</summary>
    public int MaxInlineTitleLength { get; init; } = 25;

    /// <summary>The word before the last inline choice, per locale. Default "or" (en), "o" (es).</summary>
    public Func<string?, string> OrWord { get; init; } = locale => BotCulture.Resolve(locale).IsSpanish ? "o" : "or";
}

/// <summary>A button for a choice: what it shows and what it posts back (recognised by the prompt).</summary>
public sealed record ChoiceButton(string Title, string Value);

/// <summary>
/// Renders choices for the channel (Bot Framework's ChoiceFactory). <see cref="ListStyle.Auto"/>: suggested actions
/// when the channel shows them and there are at most <see cref="ChoiceRenderOptions.MaxSuggestedActions"/>;
/// otherwise a hero card where cards with buttons work (so Teams group chats and Slack still get buttons);
/// otherwise inline text for up to three short choices, else a numbered list.
/// </summary>
public static class ChoiceFactory
{
    public static IReadOnlyList<Choice> ToChoices(params string[] values) => [.. values.Select(value => new Choice(value))];

    /// <summary>The style <see cref="ListStyle.Auto"/> (or a requested style the channel cannot show) comes down to.</summary>
    public static ListStyle Resolve(ListStyle requested, Activity inbound, IReadOnlyList<ChoiceButton> buttons, ChoiceRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(buttons);
        options ??= ChoiceRenderOptions.Default;
        var count = buttons.Count;
        var suggested = Math.Min(ChannelCapabilities.MaxSuggestedActions(inbound), options.MaxSuggestedActions);
        var cards = ChannelCapabilities.MaxCardActions(inbound.ChannelId);
        switch (requested)
        {
            case ListStyle.SuggestedAction when count <= ChannelCapabilities.MaxSuggestedActions(inbound):
                return ListStyle.SuggestedAction;
            case ListStyle.HeroCard when count <= cards:
                return ListStyle.HeroCard;
            case ListStyle.None or ListStyle.Inline or ListStyle.List:
                return requested;
        }
        if (count <= suggested)
        {
            return ListStyle.SuggestedAction;
        }
        if (count <= cards)
        {
            return ListStyle.HeroCard;
        }
        return count <= 3 && buttons.All(b => b.Title.Length <= options.MaxInlineTitleLength) ? ListStyle.Inline : ListStyle.List;
    }

    /// <summary>
    /// <paramref name="prompt"/> (a copy is changed, never the original) with the choices added in the style the
    /// channel can show. A hero card carries the prompt's text, as in the SDK.
    /// </summary>
    public static Activity AppendChoices(Activity prompt, Activity inbound, IReadOnlyList<ChoiceButton> buttons, ListStyle style, string? locale, ChoiceRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(buttons);
        options ??= ChoiceRenderOptions.Default;
        var activity = prompt.Clone();
        switch (Resolve(style, inbound, buttons, options))
        {
            case ListStyle.SuggestedAction:
                activity.SuggestedActions = new SuggestedActions { Actions = [.. buttons.Select(b => CardAction.ImBack(b.Title, b.Value))] };
                break;
            case ListStyle.HeroCard:
                var card = new HeroCard { Text = activity.Text, Buttons = [.. buttons.Select(b => CardAction.ImBack(b.Title, b.Value))] };
                activity.Text = null;
                activity.Attachments = [.. activity.Attachments ?? [], card.ToAttachment()];
                activity.AttachmentLayout ??= AttachmentLayoutTypes.List;
                break;
            case ListStyle.Inline:
                activity.Text = Inline(activity.Text, buttons, options.OrWord(locale));
                break;
            case ListStyle.List:
                activity.Text = List(activity.Text, buttons);
                break;
        }
        return activity;
    }

    /// <summary>"Text (1) A, (2) B, or (3) C" — the words between come from <see cref="ChoiceRenderOptions.OrWord"/>.</summary>
    public static string Inline(string? text, IReadOnlyList<ChoiceButton> buttons, string or)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var builder = new StringBuilder(text ?? string.Empty);
        for (var i = 0; i < buttons.Count; i++)
        {
            var separator = i == 0 ? " " : i == buttons.Count - 1 ? (buttons.Count > 2 ? $", {or} " : $" {or} ") : ", ";
            builder.Append(separator).Append(CultureInfo.InvariantCulture, $"({i + 1}) {buttons[i].Title}");
        }
        return builder.ToString().Trim();
    }

    public static string List(string? text, IReadOnlyList<ChoiceButton> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var builder = new StringBuilder(text ?? string.Empty);
        if (builder.Length > 0)
        {
            builder.Append("\n\n");
        }
        for (var i = 0; i < buttons.Count; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"   {i + 1}. {buttons[i].Title}").Append(i < buttons.Count - 1 ? "\n" : string.Empty);
        }
        return builder.ToString();
    }
}
