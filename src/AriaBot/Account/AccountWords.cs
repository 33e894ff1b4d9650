using AriaBot.Language;

namespace AriaBot.Account;

/// <summary>Sentences the account overview and the histories share; wordings in <c>dialogs/Account/</c>.</summary>
[WordKeys]
public static class AccountWords
{
    /// <summary>Aria answered a read with an error we cannot explain to the customer (not "unavailable").</summary>
    public static readonly WordKey ReadFailed = new("account.readFailed");

    /// <summary>The part of the account the customer asked about is switched off by the operator.</summary>
    public static readonly WordKey SwitchedOff = new("account.switchedOff", "task");

    public static readonly WordKey Primary = new("account.primary");
    public static readonly WordKey Backup = new("account.backup");
    public static readonly WordKey Expires = new("account.expires", "date");
    public static readonly WordKey Expired = new("account.expired", "date");
    public static readonly WordKey Card = new("account.card", "brand", "suffix");
    public static readonly WordKey BankAccount = new("account.bankAccount", "suffix");
    public static readonly WordKey OtherMethod = new("account.otherMethod", "suffix");

    public static readonly WordKey StatusActive = new("account.status.active");
    public static readonly WordKey StatusTrial = new("account.status.trial");
    public static readonly WordKey StatusNonBillable = new("account.status.nonBillable");
    public static readonly WordKey StatusPendingCancellation = new("account.status.pendingCancellation");
    public static readonly WordKey StatusPendingTermination = new("account.status.pendingTermination");
    public static readonly WordKey StatusPending = new("account.status.pending");
    public static readonly WordKey StatusSuspended = new("account.status.suspended");
    public static readonly WordKey StatusCancelled = new("account.status.cancelled");
    public static readonly WordKey StatusTerminated = new("account.status.terminated");
    public static readonly WordKey StatusInactive = new("account.status.inactive");

    /// <summary>A plan instance <c>status_cd</c> in plain words (Aria's table in the reference, §2 Statuses).</summary>
    public static WordKey PlanStatus(long statusCd) => statusCd switch
    {
        1 => StatusActive,
        41 => StatusTrial,
        61 => StatusNonBillable,
        2 => StatusPendingCancellation,
        3 => StatusPendingTermination,
        31 or 32 => StatusPending,
        -1 => StatusSuspended,
        -2 => StatusCancelled,
        -3 => StatusTerminated,
        _ => StatusInactive,
    };
}
