using Aria.Client;
using AriaBot.Account.Statements;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.SelfService;
using AriaBot.Session;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.Histories;

/// <summary>
/// A history, one page per turn: read from Aria after the session check, shown as a card (text where cards are not),
/// with "Show more" while there is more. "Show more" is a new turn: the session is checked again and Aria read again
/// for the next page; only the kind, the period and the page number are kept. Any other message ends the history and
/// goes back to the shell to be understood.
/// </summary>
public abstract class HistoryDialog : AccountDialog
{
    private const string PageStep = "page";

    private readonly HistoryKind _defaultKind;
    private readonly HistoryReader _reader;
    private readonly BillComparison _bills;
    private readonly IOptionsMonitor<SelfServiceOptions> _selfService;
    private readonly string _stepsId;

    private readonly StatementLinks _statementLinks;
    private readonly IOptionsMonitor<StatementLinkOptions> _linkOptions;

    protected HistoryDialog(string id, HistoryKind defaultKind, IAccountSession session, IWords words, IAriaClient aria, IOptionsMonitor<SelfServiceOptions> selfService,
        StatementLinks statementLinks, IOptionsMonitor<StatementLinkOptions> linkOptions)
        : base(id, version: 1, session, words)
    {
        _statementLinks = statementLinks;
        _linkOptions = linkOptions;
        _defaultKind = defaultKind;
        _reader = new HistoryReader(aria, words);
        _bills = new BillComparison(aria, words);
        _selfService = selfService;
        _stepsId = id + "Steps";
        AddDialog(new WaterfallDialog(_stepsId, version: 1)
            .WithOptions<HistoryOptions>()
            .Step(ShowPageAsync)
            .Step(AfterPageAsync));
    }

    /// <summary>Whether the operator's sections leave this history on.</summary>
    public static bool IsEnabled(HistoryKind kind, SelfServiceSections sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return kind switch
        {
            HistoryKind.Transactions => sections.Transactions,
            HistoryKind.Payments => sections.PaymentHistory,
            HistoryKind.Invoices => sections.Invoices,
            HistoryKind.Statements => sections.Statements,
            HistoryKind.BillChange => sections.Invoices,
            _ => sections.Orders,
        };
    }

    private async Task<DialogTurnResult> ShowPageAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        var options = step.GetOptions<HistoryOptions>() ?? new HistoryOptions();
        var kind = options.Kind ?? _defaultKind;
        if (!IsEnabled(kind, _selfService.CurrentValue.Sections))
        {
            return await SayAndEndAsync(step, Words.Format(AccountWords.SwitchedOff, locale, new { task = Words.Format(Title(kind), locale) }), cancellationToken).ConfigureAwait(false);
        }

        if (kind == HistoryKind.BillChange)
        {
            var (comparison, error) = await _bills.CompareAsync(AccountOfDialog(step), locale, cancellationToken).ConfigureAwait(false);
            if (comparison is null)
            {
                return await SayAndEndAsync(step, AccountReads.Describe(error, Words, locale), cancellationToken).ConfigureAwait(false);
            }
            await step.Context.SendActivityAsync(comparison.Sections.Count == 0 ? MessageFactory.Text(comparison.Title) : comparison.ToActivity(step.Context.Activity), cancellationToken).ConfigureAwait(false);
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var page = await _reader.ReadAsync(AccountOfDialog(step), kind, options, locale, cancellationToken).ConfigureAwait(false);
        if (page.Error is not null)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(page.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        if (page.Rows.Count == 0)
        {
            var empty = options.Page == 0 ? Words.Format(Empty(kind), locale, new { period = Period(options, locale) }) : Words.Format(HistoryWords.NoMore, locale);
            return await SayAndEndAsync(step, empty, cancellationToken).ConfigureAwait(false);
        }

        var button = Words.Format(HistoryWords.ShowMore, locale);
        List<string> footer = [];
        if (options.From is not null || options.To is not null)
        {
            footer.Add(Period(options, locale));
        }
        if (page.More)
        {
            footer.Add(Words.Format(HistoryWords.MoreHint, locale, new { button }));
        }
        List<CardLink> links = [];
        if (page.Statements.Count > 0 && BindingKey.For(step.Context) is { } chat)
        {
            // Made now, after this turn's session check, for this chat user and the account Aria just validated.
            foreach (var (statementNo, invoiceNo) in page.Statements)
            {
                var url = await _statementLinks.CreateAsync(chat, AccountOfDialog(step), invoiceNo, cancellationToken).ConfigureAwait(false);
                links.Add(new CardLink(Words.Format(StatementWords.Open, locale, new { number = statementNo.ToString(System.Globalization.CultureInfo.InvariantCulture) }), url));
            }
            footer.Insert(0, Words.Format(StatementWords.LinksNote, locale, new { minutes = ((int)_linkOptions.CurrentValue.LinkLifetime.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
        var card = new AccountCard(Words.Format(Title(kind), locale), [new CardSection(null, page.Rows)], footer.Count == 0 ? null : string.Join("\n", footer)) { Links = links };
        var reply = card.ToActivity(step.Context.Activity);
        if (page.More && ChannelCapabilities.MaxSuggestedActions(step.Context.Activity) > 0)
        {
            reply.SuggestedActions = new SuggestedActions { Actions = [CardAction.ImBack(button)] };
        }
        await step.Context.SendActivityAsync(reply, cancellationToken).ConfigureAwait(false);
        if (!page.More)
        {
            return await step.EndDialogAsync(null, cancellationToken).ConfigureAwait(false);
        }
        step.Values.Set(PageStep, options.Page);
        return EndOfTurn;
    }

    private async Task<DialogTurnResult> AfterPageAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var text = (step.Result as string ?? string.Empty).Trim();
        if (IsShowMore(text, step.Context.Activity.Locale))
        {
            var options = step.GetOptions<HistoryOptions>() ?? new HistoryOptions();
            return await step.ReplaceDialogAsync(_stepsId, new HistoryOptions { Kind = options.Kind ?? _defaultKind, From = options.From, To = options.To, Page = options.Page + 1 }, cancellationToken).ConfigureAwait(false);
        }
        return await step.EndDialogAsync(text.Length == 0 ? null : new PassOnUtterance(text), cancellationToken).ConfigureAwait(false);
    }

    private bool IsShowMore(string text, string? locale)
    {
        var normalized = text.TrimEnd('.', '!', '?').Trim();
        return string.Equals(normalized, Words.Format(HistoryWords.ShowMore, locale), StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("more", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("más", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("mas", StringComparison.OrdinalIgnoreCase);
    }

    private string Period(HistoryOptions options, string? locale) => (options.From, options.To) switch
    {
        ({ } from, { } to) => Words.Format(HistoryWords.Between, locale, new { from = WordsFormat.Date(from, locale), to = WordsFormat.Date(to, locale) }),
        ({ } from, null) => Words.Format(HistoryWords.Since, locale, new { date = WordsFormat.Date(from, locale) }),
        (null, { } to) => Words.Format(HistoryWords.Until, locale, new { date = WordsFormat.Date(to, locale) }),
        _ => Words.Format(HistoryWords.AllTime, locale),
    };

    private static WordKey Title(HistoryKind kind) => kind switch
    {
        HistoryKind.Transactions => HistoryWords.TransactionsTitle,
        HistoryKind.Payments => HistoryWords.PaymentsTitle,
        HistoryKind.Invoices => HistoryWords.InvoicesTitle,
        HistoryKind.Statements => HistoryWords.StatementsTitle,
        HistoryKind.BillChange => HistoryWords.BillChangeTitle,
        _ => HistoryWords.OrdersTitle,
    };

    private static WordKey Empty(HistoryKind kind) => kind switch
    {
        HistoryKind.Transactions => HistoryWords.TransactionsEmpty,
        HistoryKind.Payments => HistoryWords.PaymentsEmpty,
        HistoryKind.Invoices => HistoryWords.InvoicesEmpty,
        HistoryKind.Statements => HistoryWords.StatementsEmpty,
        _ => HistoryWords.OrdersEmpty,
    };
}
