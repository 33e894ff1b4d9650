using System.Text.Json;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Shell;
using AriaBot.Understanding;
using BotRuntime.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AriaBot.Tests.Shell;

/// <summary>
/// The menu's titles and the help sentence are kept per culture and set of enabled sections (<see cref="MenuWords"/>,
/// issue 22). Kept text must never be stale or shared wrongly: a configuration reload, or a section switched in place,
/// changes the very next menu; Spanish and English never mix; the shared buttons are read-only; and the text is
/// what the words render for that locale, signed in or not.
/// </summary>
public sealed class MenuWordsTests(SharedAssistantHost shared) : IClassFixture<SharedAssistantHost>
{
    private readonly IWords _words = shared.Host.Services.GetRequiredService<IWords>();
    private readonly List<IUseCase> _useCases = [.. shared.Host.Services.GetServices<IUseCase>()];

    private sealed class Monitor(SelfServiceOptions value) : IOptionsMonitor<SelfServiceOptions>
    {
        public SelfServiceOptions CurrentValue { get; set; } = value;

        public SelfServiceOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<SelfServiceOptions, string?> listener) => null;
    }

    private List<string> Expected(string locale, SelfServiceSections sections, bool signedIn)
    {
        List<string> titles = [.. _useCases.Where(useCase => useCase.IsEnabled(sections)).Select(useCase => _words.Format(IntentWords.Label(useCase.Intent), locale))];
        if (!signedIn)
        {
            titles.Add(_words.Format(IntentWords.Label(Intent.SignIn), locale));
        }
        titles.Add(_words.Format(IntentWords.Label(Intent.TalkToAgent), locale));
        return titles;
    }

    private static List<string> Titles(MenuWords menu, string locale, bool signedIn) => [.. menu.Buttons(locale, signedIn).Select(button => button.Title ?? string.Empty)];

    [Fact]
    public void The_words_are_kept_only_when_they_do_not_vary()
    {
        Assert.IsType<Words>(_words);
        Assert.False(((Words)_words).VariesWordings);
    }

    [Fact]
    public void A_reload_or_a_section_switched_in_place_changes_the_next_menu_and_help()
    {
        var monitor = new Monitor(new SelfServiceOptions());
        var menu = new MenuWords(_useCases, _words, monitor);
        Assert.Equal(Expected("en-US", monitor.CurrentValue.Sections, signedIn: false), Titles(menu, "en-US", signedIn: false));
        Assert.Equal(Expected("en-US", monitor.CurrentValue.Sections, signedIn: true), Titles(menu, "en-US", signedIn: true));
        var allHelp = menu.Help("en-US");

        // A reload: a new options object without ordering.
        monitor.CurrentValue = new SelfServiceOptions { Sections = { Orders = false } };
        var withoutOrders = Expected("en-US", monitor.CurrentValue.Sections, signedIn: false);
        Assert.Equal(withoutOrders, Titles(menu, "en-US", signedIn: false));
        List<string> orderTitles = [.. Expected("en-US", new SelfServiceSections(), false).Except(withoutOrders)];
        Assert.NotEmpty(orderTitles);
        Assert.All(orderTitles, title => Assert.Contains(title, allHelp, StringComparison.Ordinal));
        Assert.All(orderTitles, title => Assert.DoesNotContain(title, menu.Help("en-US"), StringComparison.Ordinal));

        // The same object changed in place also counts (tests and hosts that bind without a reload do this).
        monitor.CurrentValue.Sections.Payments = false;
        Assert.Equal(Expected("en-US", monitor.CurrentValue.Sections, signedIn: false), Titles(menu, "en-US", signedIn: false));
        Assert.NotEqual(withoutOrders, Titles(menu, "en-US", signedIn: false));

        // And back: the first menu and help again.
        monitor.CurrentValue = new SelfServiceOptions();
        Assert.Equal(Expected("en-US", monitor.CurrentValue.Sections, signedIn: false), Titles(menu, "en-US", signedIn: false));
        Assert.Equal(allHelp, menu.Help("en-US"));
    }

    [Fact]
    public void Each_locale_gets_its_own_culture_and_no_caller_can_change_the_shared_buttons()
    {
        var menu = new MenuWords(_useCases, _words, new Monitor(new SelfServiceOptions()));
        var sections = new SelfServiceSections();
        foreach (var locale in new[] { "es-MX", "en-US", "es-ES", "en", "fr-FR", "ES" })
        {
            Assert.Equal(Expected(locale, sections, signedIn: false), Titles(menu, locale, signedIn: false));
            Assert.Equal(_words.Format(ShellWords.Help, locale, new { tasks = string.Join(", ", Expected(locale, sections, signedIn: true).SkipLast(1)) }), menu.Help(locale));
        }
        Assert.NotEqual(Titles(menu, "en-US", false), Titles(menu, "es-ES", false));

        // The buttons are shared by every menu, so none may be changed by a later step (issue 22).
        var first = menu.Buttons("en-US", signedIn: false);
        Assert.All(first, button => Assert.True(button.IsReadOnly));
        Assert.Throws<InvalidOperationException>(() => first[0].Title = "changed by a later step");
        Assert.Throws<InvalidOperationException>(() => first[1].Value = JsonSerializer.SerializeToElement("changed too"));
        Assert.Equal(Expected("en-US", sections, signedIn: false), Titles(menu, "en-US", signedIn: false));
        Assert.Equal(Expected("en-US", sections, signedIn: false), Values(menu, "en-US", signedIn: false));
    }

    [Fact]
    public void Each_button_posts_back_its_own_title_in_every_locale_and_after_a_reload()
    {
        var monitor = new Monitor(new SelfServiceOptions());
        var menu = new MenuWords(_useCases, _words, monitor);
        foreach (var round in new[] { "first", "kept" })
        {
            foreach (var locale in new[] { "en-US", "es-ES", "es-MX", "en" })
            {
                foreach (var signedIn in new[] { false, true })
                {
                    var buttons = menu.Buttons(locale, signedIn);
                    Assert.All(buttons, button => Assert.Equal(ActionTypes.ImBack, button.Type));
                    Assert.Equal(Expected(locale, monitor.CurrentValue.Sections, signedIn), Values(menu, locale, signedIn));
                }
            }
        }
        monitor.CurrentValue = new SelfServiceOptions { Sections = { Payments = false } };
        Assert.Equal(Expected("es-ES", monitor.CurrentValue.Sections, signedIn: true), Values(menu, "es-ES", signedIn: true));
    }

    private static List<string> Values(MenuWords menu, string locale, bool signedIn) =>
        [.. menu.Buttons(locale, signedIn).Select(button => button.Value is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "(not a string)")];
}
