using AriaBot.Language;

namespace AriaBot.Account.Overview;

/// <summary>The account overview card; wordings in <c>dialogs/AccountOverview/</c>.</summary>
[WordKeys]
public static class AccountOverviewWords
{
    public static readonly WordKey Title = new("accountOverview.title", "name");
    public static readonly WordKey Balance = new("accountOverview.balance");

    /// <summary>Under the balance when it is zero or a credit.</summary>
    public static readonly WordKey NothingDue = new("accountOverview.nothingDue");
    public static readonly WordKey NextBill = new("accountOverview.nextBill");
    public static readonly WordKey Plans = new("accountOverview.plans");
    public static readonly WordKey NoPlans = new("accountOverview.noPlans");

    /// <summary>A plan with several units: "Extra Storage (100 GB) × 3".</summary>
    public static readonly WordKey PlanUnits = new("accountOverview.planUnits", "plan", "units");

    /// <summary>An add-on's detail: its status and that it belongs to a main plan.</summary>
    public static readonly WordKey AddOn = new("accountOverview.addOn", "status");
    public static readonly WordKey NextBillOn = new("accountOverview.nextBillOn", "status", "date");
    public static readonly WordKey PaymentMethods = new("accountOverview.paymentMethods");
    public static readonly WordKey NoPaymentMethod = new("accountOverview.noPaymentMethod");
}
