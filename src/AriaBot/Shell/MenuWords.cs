using System.Collections.Concurrent;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Understanding;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Shell;

/// <summary>
/// The menu's button titles and the general help's sentence, rendered once per culture and set of enabled sections
/// instead of on every turn (issue 22: an unsigned turn asked the words for 8-15 titles each time, and the help for a
/// list of the same titles). Nothing in them depends on the customer: the culture the locale resolves to, whether they
/// are signed in (the sign-in button) and which sections are on decide the text, so the answers are the same strings
/// as before. Sections are read on every call, so a configuration reload changes the menu at once. When the words vary
/// their wording (<c>Language:VaryWordings</c>) nothing is kept: each menu picks its wordings afresh, as before.
/// The buttons are read-only <see cref="CardAction"/>s made once and shared by every menu (a setter on one throws, and
/// the connectors' copy of each reply passes them on as they are; issue 22: made and then copied for every reply, they
/// were 6 % of the bytes a turn allocated); the list is each caller's own. Each value is an immutable JSON element of
/// its own (not a view into a disposable document), serialised once.
/// </summary>
internal sealed class MenuWords(IReadOnlyList<IUseCase> useCases, IWords words, IOptionsMonitor<SelfServiceOptions> selfService)
{
    private readonly bool _keep = words is Words { VariesWordings: false };
    private readonly ConcurrentDictionary<(BotCulture Culture, long Enabled), Rendered> _rendered = new();

    private sealed record Rendered(CardAction[] SignedOut, CardAction[] SignedIn, string Help);

    /// <summary>The suggested actions of the menu: the enabled use cases, and sign-in when signed out.</summary>
    public IReadOnlyList<CardAction> Buttons(string? locale, bool signedIn)
    {
        if (For(locale) is not { } kept)
        {
            return Actions(Titles(locale, Enabled(), signedIn));
        }
        return [.. signedIn ? kept.SignedIn : kept.SignedOut];
    }

    private static CardAction[] Actions(string[] titles) => Array.ConvertAll(titles, title => CardAction.ImBack(title));

    private static CardAction[] Shared(string[] titles) => Array.ConvertAll(titles, title => CardAction.ImBack(title).AsReadOnly());

    /// <summary>"Here is what I can do: …" with the enabled use cases.</summary>
    public string Help(string? locale) => For(locale)?.Help ?? HelpText(locale, Enabled());

    private Rendered? For(string? locale)
    {
        if (!_keep)
        {
            return null;
        }
        var enabled = Enabled();
        var mask = 0L;
        for (var i = 0; i < enabled.Length && i < 64; i++)
        {
            mask |= enabled[i] ? 1L << i : 0;
        }
        // More than 64 use cases would not fit the key: render each time rather than risk a wrong menu.
        return enabled.Length > 64
            ? null
            : _rendered.GetOrAdd((BotCulture.Resolve(locale), mask), _ => new Rendered(Shared(Titles(locale, enabled, false)), Shared(Titles(locale, enabled, true)), HelpText(locale, enabled)));
    }

    private bool[] Enabled()
    {
        var sections = selfService.CurrentValue.Sections;
        var enabled = new bool[useCases.Count];
        for (var i = 0; i < enabled.Length; i++)
        {
            enabled[i] = useCases[i].IsEnabled(sections);
        }
        return enabled;
    }

    private string[] Titles(string? locale, bool[] enabled, bool signedIn)
    {
        List<string> titles = [];
        for (var i = 0; i < enabled.Length; i++)
        {
            if (enabled[i])
            {
                titles.Add(words.Format(IntentWords.Label(useCases[i].Intent), locale));
            }
        }
        if (!signedIn)
        {
            titles.Add(words.Format(IntentWords.Label(Intent.SignIn), locale));
        }
        titles.Add(words.Format(IntentWords.Label(Intent.TalkToAgent), locale));
        return [.. titles];
    }

    private string HelpText(string? locale, bool[] enabled)
    {
        var tasks = string.Join(", ", useCases.Where((_, i) => enabled[i]).Select(useCase => words.Format(IntentWords.Label(useCase.Intent), locale)));
        return words.Format(ShellWords.Help, locale, new { tasks });
    }
}
