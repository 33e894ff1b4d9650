namespace Aria.Client.Models;

/// <summary>
/// Aria's <c>assignment_directive</c> (its plan-change calls' parameter): when a plan change applies and how it is prorated. Constants, not
/// an enum, because the number itself is what is configured (<c>SelfService:PlanChanges</c>), sent and stored.
/// 5 ("apply now and ignore the client rule, forcing…") and 6 are only partly documented and are not used.
/// </summary>
public static class AssignmentDirective
{
    /// <summary>On the next billing anniversary, without proration; service continues unchanged until then.</summary>
    public const int NextAnniversary = 1;

    /// <summary>Now, following the client's proration rule.</summary>
    public const int NowClientProration = 2;

    /// <summary>Now, without proration.</summary>
    public const int NowNoProration = 3;

    /// <summary>Now, forcing proration.</summary>
    public const int NowForceProration = 4;

    /// <summary>On <c>effective_date</c>, following the client's proration rule.</summary>
    public const int OnEffectiveDateClientProration = 7;

    /// <summary>On <c>effective_date</c>, without proration.</summary>
    public const int OnEffectiveDateNoProration = 8;

    /// <summary>On <c>effective_date</c>, forcing proration.</summary>
    public const int OnEffectiveDateForceProration = 9;

    /// <summary>The directives that apply the change at once.</summary>
    public static bool AppliesNow(long? directive) => directive is NowClientProration or NowNoProration or NowForceProration;

    /// <summary>The directives that queue the change for the <c>effective_date</c> sent with it.</summary>
    public static bool AppliesOnEffectiveDate(long? directive) => directive is OnEffectiveDateClientProration or OnEffectiveDateNoProration or OnEffectiveDateForceProration;

    /// <summary>The directives that queue the change for later (the anniversary or the effective date).</summary>
    public static bool IsQueued(long? directive) => directive is NextAnniversary || AppliesOnEffectiveDate(directive);

    /// <summary>Aria's fully documented directives: 1–4 and 7–9.</summary>
    public static bool IsDocumented(long directive) => AppliesNow(directive) || IsQueued(directive);
}
