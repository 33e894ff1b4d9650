using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Changes;
using AriaBot.Language;

namespace AriaBot.Plans;

/// <summary>
/// A plan change as a previewed change: one request, sent with <c>do_write</c> false for the preview and then, unchanged
/// but for that flag, with <c>do_write</c> true. A slice names its call and may add what the card should say beyond
/// Aria's lines (which add-ons end, what it costs afterwards).
/// </summary>
public abstract class PlanChange<TRequest, TResponse> : IPreviewedChange
    where TRequest : PlanChangeRequest
    where TResponse : PlanChangeResponse
{
    public abstract string Kind { get; }

    public abstract string AriaCall { get; }

    protected abstract Task<AriaResult<TResponse>> SendAsync(TRequest request, CancellationToken cancellationToken);

    /// <summary>Sentences for the card beyond Aria's lines. Default none.</summary>
    protected virtual IReadOnlyList<string> Consequences(TResponse reply, PreviewContext context) => [];

    public async Task<AriaResult<PreviewSummary>> PreviewAsync(JsonElement request, PreviewContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var typed = ChangeRequest.To<TRequest>(request);
        typed.DoWrite = false;
        var reply = await SendAsync(typed, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return AriaResult<PreviewSummary>.Failure(reply.Error!);
        }
        var summary = PlanChangeSummary.From(reply.Value!, context.Currency, context.Effective, context.Locale);
        return AriaResult<PreviewSummary>.Success(summary with { Consequences = Consequences(reply.Value!, context) });
    }

    public async Task<AriaResult<ChangeApplied>> WriteAsync(JsonElement request, CancellationToken cancellationToken)
    {
        var typed = ChangeRequest.To<TRequest>(request);
        typed.DoWrite = true;
        var reply = await SendAsync(typed, cancellationToken).ConfigureAwait(false);
        return reply.IsSuccess
            ? AriaResult<ChangeApplied>.Success(new ChangeApplied(reply.Value!.InvoiceNo is { } invoice ? $"invoice {invoice}" : null))
            : AriaResult<ChangeApplied>.Failure(reply.Error!);
    }

    /// <summary>
    /// A prorated charge covers only the rest of this period (and nothing when the change waits for the bill date):
    /// say what the plan costs from then on, when Aria tells.
    /// </summary>
    protected static IReadOnlyList<string> MonthlyAfter(ProratedPlanChangeResponse reply, PreviewContext context, IWords words)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(words);
        return reply.ExpectdMthlyRecurringCost is { } monthly
            ? [words.Format(PlanWords.MonthlyAfter, context.Locale, new { amount = WordsFormat.Money(monthly, context.Currency, context.Locale) })]
            : [];
    }
}
