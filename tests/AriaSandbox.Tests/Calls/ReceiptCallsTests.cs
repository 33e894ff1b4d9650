using System.Globalization;

namespace AriaSandbox.Tests.Calls;

/// <summary>The receipt look-ups the bot's payment reconciliation asks first: what was done under one receipt id.</summary>
public sealed class ReceiptCallsTests
{
    private const string Bob = "1000002";

    [Fact]
    public async Task A_payment_is_found_by_its_receipt_id_and_listed_among_the_accounts_receipts()
    {
        using var aria = new SandboxDirect();
        var paid = await aria.CallAsync("collect_from_account_m", ("acct_no", Bob), ("amount_to_collect", "10.00"), ("client_receipt_id", "rcpt-pay-1"));
        Assert.Equal(0, SandboxDirect.Code(paid));
        var transactionId = paid["transaction_id"]!.GetValue<long>();

        var actions = await aria.CallAsync("get_all_actions_by_receipt_id_m", ("acct_no", Bob), ("client_receipt_id", "rcpt-pay-1"));
        Assert.Equal(0, SandboxDirect.Code(actions));
        var action = Assert.Single(actions["receipt_action"]!.AsArray());
        Assert.Equal(transactionId.ToString(CultureInfo.InvariantCulture), action!["action_rec_id_val"]!.GetValue<string>());
        Assert.Equal("10.00", action["action_qualifier_1_val"]!.GetValue<string>());

        var receipts = await aria.CallAsync("get_all_acct_receipt_ids_m", ("acct_no", Bob));
        Assert.Contains(receipts["acct_receipt"]!.AsArray(), receipt => receipt!["client_receipt_id"]!.GetValue<string>() == "rcpt-pay-1");
    }

    [Fact]
    public async Task A_declined_payment_leaves_no_action_under_its_receipt_id()
    {
        using var aria = new SandboxDirect();
        // Carol's card on file declines (4011): nothing is charged and the receipt id is not used.
        var declined = await aria.CallAsync("collect_from_account_m", ("acct_no", "1000003"), ("amount_to_collect", "5.00"), ("client_receipt_id", "rcpt-declined"));
        Assert.Equal(4011, SandboxDirect.Code(declined));

        Assert.Equal(1002, SandboxDirect.Code(await aria.CallAsync("get_all_actions_by_receipt_id_m", ("acct_no", "1000003"), ("client_receipt_id", "rcpt-declined"))));
        var receipts = await aria.CallAsync("get_all_acct_receipt_ids_m", ("acct_no", "1000003"));
        Assert.DoesNotContain(receipts["acct_receipt"]?.AsArray() ?? [], receipt => receipt!["client_receipt_id"]!.GetValue<string>() == "rcpt-declined");
    }

    [Fact]
    public async Task Another_accounts_receipt_id_is_not_found_and_the_date_range_filters()
    {
        using var aria = new SandboxDirect();
        await aria.CallAsync("collect_from_account_m", ("acct_no", Bob), ("amount_to_collect", "1.00"), ("client_receipt_id", "rcpt-bob"));

        Assert.Equal(1002, SandboxDirect.Code(await aria.CallAsync("get_all_actions_by_receipt_id_m", ("acct_no", "1000001"), ("client_receipt_id", "rcpt-bob"))));
        Assert.Equal(1010, SandboxDirect.Code(await aria.CallAsync("get_all_actions_by_receipt_id_m", ("acct_no", Bob))));
        var today = DateOnly.FromDateTime(aria.Time.GetUtcNow().UtcDateTime);
        var later = await aria.CallAsync("get_all_acct_receipt_ids_m", ("acct_no", Bob), ("start_date_range", today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.Empty(later["acct_receipt"]?.AsArray() ?? []);
    }
}
