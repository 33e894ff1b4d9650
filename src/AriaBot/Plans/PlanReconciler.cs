using System.Text.Json;
using Aria.Client;
using AriaBot.Changes;
using BotRuntime.State;

namespace AriaBot.Plans;

/// <summary>What a plan dialog stores in the write intent so that its reconciler can recognise the write in the account.</summary>
public abstract record PlanExpectation
{
    /// <summary>The expectation as the write intent keeps it (<see cref="ConfirmChangeOptions.Expectation"/>).</summary>
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, GetType(), StateJson.Options);
}

/// <summary>
/// Settles a plan write whose outcome was lost by reading the account once (<c>get_acct_plans_m</c>) and judging it
/// against what the dialog stored in the write intent (<typeparamref name="TExpectation"/>). No expectation or no
/// answer from Aria proves nothing: unknown, and nothing is retried.
/// </summary>
public abstract class PlanReconciler<TExpectation>(IAriaClient aria) : IWriteReconciler
    where TExpectation : PlanExpectation
{
    public abstract string Kind { get; }

    protected abstract ReconciledOutcome Judge(TExpectation expected, IReadOnlyList<AccountPlan> plans);

    /// <summary>False when no reading of the account could settle the write, so Aria is not asked. Default: always worth a read.</summary>
    protected virtual bool Provable(TExpectation expected) => true;

    public async Task<ReconciledOutcome> ReconcileAsync(WriteIntent intent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Expectation?.Deserialize<TExpectation>(StateJson.Options) is not { } expected)
        {
            return ReconciledOutcome.Unknown;
        }
        if (!Provable(expected))
        {
            return ReconciledOutcome.Unknown;
        }
        var plans = await AccountPlans.ReadAsync(aria, intent.AccountNo, cancellationToken).ConfigureAwait(false);
        return plans.IsSuccess ? Judge(expected, plans.Value!) : ReconciledOutcome.Unknown;
    }
}
