using Aria.Client.Models;
using AriaBot.Language;
using AriaBot.SelfService;

namespace AriaBot.Plans;

/// <summary>
/// When a plan change applies under the operator's <see cref="PlanChangeRules"/>: now (<see cref="AssignmentDirective.AppliesNow"/>),
/// on the instance's next bill date (<see cref="AssignmentDirective.NextAnniversary"/>), or on an effective date
/// (<see cref="AssignmentDirective.AppliesOnEffectiveDate"/>). Null directive means the client's own default,
/// which the bot cannot read from Aria.
/// </summary>
public sealed record PlanChangeTiming(int? Directive, DateOnly? EffectiveDate, DateOnly? Applies)
{
    public static PlanChangeTiming For(PlanChangeRules rules, DateOnly? nextBillDate, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        DateOnly? effectiveDate = AssignmentDirective.AppliesOnEffectiveDate(rules.AssignmentDirective) ? today.AddDays(rules.EffectiveInDays ?? 0) : null;
        DateOnly? applies = rules.AssignmentDirective == AssignmentDirective.NextAnniversary ? nextBillDate : effectiveDate;
        return new PlanChangeTiming(rules.AssignmentDirective, effectiveDate, applies);
    }

    /// <summary>
    /// True only for the directives that apply at once (<see cref="AssignmentDirective.AppliesNow"/>). Only then does an
    /// account that does not show the change prove it did not happen: a queued change — or one under the client's
    /// unknown default — looks exactly like one never made until it runs.
    /// </summary>
    public static bool AppliesAtOnce(long? directive) => AssignmentDirective.AppliesNow(directive);

    /// <summary>"immediately", "on 10 December 2026", or null when the client's default rule decides and Aria does not say.</summary>
    public string? Describe(IWords words, string? locale)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Applies is { } on
            ? words.Format(PlanWords.EffectiveOn, locale, new { date = WordsFormat.Date(on, locale) })
            : Directive is null ? null : words.Format(PlanWords.EffectiveNow, locale);
    }
}
