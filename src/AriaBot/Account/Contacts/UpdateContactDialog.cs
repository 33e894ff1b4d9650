using AriaBot.Account.EmailChange;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Language;
using AriaBot.Session;
using Aria.Client;
using BotRuntime.Dialogs;
using BotRuntime.Dialogs.Prompts;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using Microsoft.Extensions.Options;

namespace AriaBot.Account.Contacts;

/// <summary>What the customer already said ("change my billing email"): the contact and the detail, when named.</summary>
public sealed class UpdateContactOptions
{
    public ContactKind? Kind { get; set; }

    public ContactField? Field { get; set; }
}

/// <summary>The rules the value prompt checks a typed value against: the detail, and the contact's country (phone, postal code).</summary>
public sealed record ContactValueRules(ContactField Field, string? Country);

/// <summary>
/// Update contact information: which contact (account, billing, statement), which detail (e-mail, phone, country,
/// postal code), the new value — validated and normalised, asked again when it is not usable — then the shared
/// confirmation turn showing old → new, the session check last, and the write once through <see cref="ChangeWriter"/>.
/// The account contact's e-mail is where password resets go, so it is handed to <see cref="AccountEmailChangeDialog"/>:
/// it changes only after a code sent to the new address is entered on a secure page (refused when that is switched off).
/// </summary>
public sealed class UpdateContactDialog : AccountDialog
{
    public const string DialogId = "updateContact";
    private const string StepsId = "updateContactSteps";
    private const string KindPrompt = "updateContactKind";
    private const string FieldPrompt = "updateContactField";
    private const string ValuePrompt = "updateContactValue";

    private static readonly ContactKind[] Kinds = [ContactKind.Account, ContactKind.Billing, ContactKind.Statement];
    private static readonly ContactField[] Fields = [ContactField.Email, ContactField.Phone, ContactField.Country, ContactField.PostalCode];

    private readonly IAriaClient _aria;
    private readonly IOptionsMonitor<EmailChangeOptions> _emailChange;

    public UpdateContactDialog(IAccountSession session, IWords words, IAriaClient aria, AccountEmailChangeDialog accountEmailChange, IOptionsMonitor<EmailChangeOptions> emailChange)
        : base(DialogId, version: 1, session, words)
    {
        _aria = aria;
        _emailChange = emailChange;
        AddDialog(new WaterfallDialog(StepsId, version: 1)
            .WithOptions<UpdateContactOptions>()
            .Step(AskKindAsync)
            .Step(AskFieldAsync)
            .Step(AskValueAsync)
            .Step(ConfirmAsync)
            .Step(FinishAsync));
        AddDialog(new ChoicePrompt(KindPrompt));
        AddDialog(new ChoicePrompt(FieldPrompt));
        AddDialog(new TextPrompt(ValuePrompt, ValidateValueAsync));
        AddDialog(accountEmailChange);
    }

    private async Task<DialogTurnResult> AskKindAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.GetOptions<UpdateContactOptions>()?.Kind is { } kind)
        {
            return await step.NextAsync(kind, cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(KindPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(ContactWords.WhichContact, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(ContactWords.WhichContactRetry, locale)),
            Choices = [.. Kinds.Select(each => new Choice(Words.Format(ContactWords.KindLabel(each), locale)))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AskFieldAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var kind = step.Result as ContactKind? ?? Kinds[((FoundChoice)step.Result!).Index];
        step.Values.Set("kind", kind);
        if (step.GetOptions<UpdateContactOptions>()?.Field is { } field)
        {
            return await step.NextAsync(field, cancellationToken).ConfigureAwait(false);
        }
        return await step.PromptAsync(FieldPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(Words.Format(ContactWords.WhichField, locale)),
            RetryPrompt = MessageFactory.Text(Words.Format(ContactWords.WhichFieldRetry, locale)),
            Choices = [.. Fields.Select(each => new Choice(Words.Format(ContactWords.FieldLabel(each), locale)))],
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> AskValueAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var field = step.Result as ContactField? ?? Fields[((FoundChoice)step.Result!).Index];
        step.Values.Set("field", field);
        var kind = step.Values.Get<ContactKind>("kind");
        if (kind == ContactKind.Account && field == ContactField.Email && !_emailChange.CurrentValue.Enabled)
        {
            return await SayAndEndAsync(step, Words.Format(ContactWords.AccountEmailNotInChat, locale), cancellationToken).ConfigureAwait(false);
        }
        var contact = await ContactOnFile.ReadAsync(_aria, AccountOfDialog(step), kind, null, cancellationToken).ConfigureAwait(false);
        if (!contact.IsSuccess)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(contact.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        // Only what the next turns need: the billing group to write to and the country to read a local number or
        // postal code by. The value on file is read again for the card.
        step.Values.Set("group", contact.Value!.BillingGroupNo);
        var label = Words.Format(ContactWords.FieldLabel(field), locale);
        var current = contact.Value.Value(field);
        return await step.PromptAsync(ValuePrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(string.IsNullOrEmpty(current)
                ? Words.Format(ContactWords.AskValueNoCurrent, locale, new { field = label })
                : Words.Format(ContactWords.AskValue, locale, new { field = label, current })),
            RetryPrompt = MessageFactory.Text(Words.Format(ContactWords.AskValueRetry, locale, new { field = label })),
            Validations = new ContactValueRules(field, contact.Value.Country),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A value that cannot be used is explained before Aria hears of it; the prompt then asks again.</summary>
    private async Task<bool> ValidateValueAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken)
    {
        var rules = prompt.Options.GetValidations<ContactValueRules>()!;
        var verdict = ContactValidation.Judge(rules.Field, prompt.Context.Activity.Text, rules.Country);
        if (!verdict.Accepted)
        {
            await prompt.Context.SendActivityAsync(Words.Format(ContactWords.Problem(verdict.Problem), prompt.Context.Activity.Locale), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return verdict.Accepted;
    }

    private async Task<DialogTurnResult> ConfirmAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var locale = step.Context.Activity.Locale;
        if (step.Result is PromptTooManyAttempts)
        {
            return await GiveUpAsync(step, cancellationToken).ConfigureAwait(false);
        }
        var kind = step.Values.Get<ContactKind>("kind");
        var field = step.Values.Get<ContactField>("field");
        var accountNo = AccountOfDialog(step);
        var contact = await ContactOnFile.ReadAsync(_aria, accountNo, kind, step.Values.Get<long?>("group"), cancellationToken).ConfigureAwait(false);
        if (!contact.IsSuccess)
        {
            return await SayAndEndAsync(step, AccountReads.Describe(contact.Error, Words, locale), cancellationToken).ConfigureAwait(false);
        }
        var value = ContactValidation.Judge(field, (string)step.Result!, contact.Value!.Country).Value!;
        var old = contact.Value.Value(field);
        var fieldLabel = Words.Format(ContactWords.FieldLabel(field), locale);
        if (string.Equals(old, value, StringComparison.Ordinal))
        {
            return await SayAndEndAsync(step, Words.Format(ContactWords.Unchanged, locale, new { field = fieldLabel, value }), cancellationToken).ConfigureAwait(false);
        }
        if (kind == ContactKind.Account && field == ContactField.Email)
        {
            // Where password resets go: written only once the new address has proved itself (a code sent to it).
            return await step.BeginDialogAsync(AccountEmailChangeDialog.DialogId, new AccountEmailChangeOptions { OldAddress = old ?? string.Empty, NewAddress = value }, cancellationToken)
                .ConfigureAwait(false);
        }
        var contactLabel = Words.Format(ContactWords.KindLabel(kind), locale);
        var request = ContactRequest.For(accountNo, kind, contact.Value.BillingGroupNo, field, value);
        return await step.BeginDialogAsync(ConfirmChangeDialog.DialogId, new ConfirmChangeOptions
        {
            Kind = UpdateContactChange.ChangeKind,
            Request = ChangeRequest.From(request),
            Title = Words.Format(ContactWords.Title, locale, new { contact = contactLabel }),
            Description = Words.Format(ContactWords.Description, locale, new { contact = contactLabel, field = fieldLabel, value }),
            DoneText = Words.Format(ContactWords.Done, locale, new { contact = contactLabel, field = fieldLabel, value }),
            // No money moves; the card shows fields, not amounts.
            Currency = string.Empty,
            Expectation = new ContactExpectation(kind, field, contact.Value.BillingGroupNo, old, value).ToJson(),
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> FinishAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        await step.EndDialogAsync(step.Result, cancellationToken).ConfigureAwait(false);
}
