using AriaBot.Language;
using AriaBot.SelfService;

namespace AriaBot.Plans;

/// <summary>
/// When a plan change applies under the operator's <see cref="PlanChangeRules"/>: now (directives 2–4), on the
/// instance's next bill date (1), or on an effective date (7–9). Null directive means the client's own default,
/// which the bot cannot read from Aria.
/// </summary>
public sealed record PlanChangeTiming(int? Directive, DateOnly? EffectiveDate, DateOnly? Applies)
{
    public static PlanChangeTiming For(PlanChangeRules rules, DateOnly? nextBillDate, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        DateOnly? effectiveDate = rules.AssignmentDirective is 7 or 8 or 9 ? today.AddDays(rules.EffectiveInDays ?? 0) : null;
        DateOnly? applies = rules.AssignmentDirective == 1 ? nextBillDate : effectiveDate;
        return new PlanChangeTiming(rules.AssignmentDirective, effectiveDate, applies);
    }

    /// <summary>
    /// True only for the directives that apply at once (2, 3, 4). Only then does an account that does not show the
    /// change prove it did not happen: a queued change (1, 7–9) — or one under the client's unknown default — looks
    /// exactly like one never made until it runs.
    /// </summary>
    public static bool AppliesAtOnce(long? directive) => directive is 2 or 3 or 4;

    /// <summary>"immediately", "on 10 December 2026", or null when the client's default rule decides and Aria does not say.</summary>
    public string? Describe(IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Applies is { } on
            ? words.Format(PlanWords.EffectiveOn, locale, new { date = WordsFormat.Date(on, locale) })
            : Directive is null ? null : words.Format(PlanWords.EffectiveNow, locale);
    }
}
