namespace AriaSandbox.Tests.Calls;

/// <summary>
/// The secure payment-method page sends one <c>client_receipt_id</c> per link: the sandbox must refuse a second
/// <c>update_payment_method_m</c> with the same receipt and add nothing, as Aria does (1012/1099).
/// </summary>
public sealed class PaymentMethodReceiptTests
{
    private const string Alice = "1000001";

    [Fact]
    public async Task A_reused_receipt_id_adds_no_second_method()
    {
        using var aria = new SandboxDirect();
        var before = aria.Sandbox.Account(1000001).PaymentMethods.Count;
        (string, string)[] card = [("acct_no", Alice), ("pay_method_type", "1"), ("cc_num", "4000056655665556"), ("cc_expire_mm", "08"),
            ("cc_expire_yyyy", (aria.Time.GetUtcNow().Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("cvv", "731"), ("client_receipt_id", "pm-once")];

        var first = await aria.CallAsync("update_payment_method_m", card);
        Assert.Equal(0, SandboxDirect.Code(first));
        var second = await aria.CallAsync("update_payment_method_m", card);
        Assert.Contains(SandboxDirect.Code(second), new long[] { 1012, 1099 });
        Assert.Equal(before + 1, aria.Sandbox.Account(1000001).PaymentMethods.Count);
    }

    [Fact]
    public async Task A_refused_card_does_not_use_up_the_receipt_id()
    {
        using var aria = new SandboxDirect();
        var year = (aria.Time.GetUtcNow().Year + 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = await aria.CallAsync("update_payment_method_m", ("acct_no", Alice), ("pay_method_type", "1"), ("cc_num", "4000056655665557"),
            ("cc_expire_mm", "08"), ("cc_expire_yyyy", year), ("client_receipt_id", "pm-retry"));
        Assert.Equal(4009, SandboxDirect.Code(refused));
        var accepted = await aria.CallAsync("update_payment_method_m", ("acct_no", Alice), ("pay_method_type", "1"), ("cc_num", "4000056655665556"),
            ("cc_expire_mm", "08"), ("cc_expire_yyyy", year), ("client_receipt_id", "pm-retry"));
        Assert.Equal(0, SandboxDirect.Code(accepted));
    }
}
