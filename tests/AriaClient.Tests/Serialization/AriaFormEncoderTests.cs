using System.Text.Json;
using System.Text.Json.Nodes;
using Aria.Client;
using Aria.Client.Models;
using Aria.Client.Serialization;

namespace AriaClient.Tests.Serialization;

public sealed class AriaFormEncoderTests
{
    private static JsonObject Serialize<T>(T request) =>
        JsonNode.Parse(JsonSerializer.Serialize(request, typeof(T), AriaJsonContext.Default))!.AsObject();

    [Fact]
    public void Rows_become_parallel_name_arrays_kept_aligned_and_nulls_are_left_out()
    {
        var body = Serialize(new CreateOrderMRequest
        {
            AcctNo = 1000001,
            DoWrite = false,
            OrderLineItems = [new() { ClientSku = "RTR-AX3000", Units = 1 }, new() { ClientSku = "CBL-CAT6-5M", Units = 3, Amount = 8.5m }],
        });
        var pairs = AriaFormEncoder.ToPairs(body);
        Assert.Contains(new KeyValuePair<string, string>("do_write", "false"), pairs);
        Assert.Equal(["RTR-AX3000", "CBL-CAT6-5M"], pairs.Where(p => p.Key == "client_sku[]").Select(p => p.Value));
        Assert.Equal(["1", "3"], pairs.Where(p => p.Key == "units[]").Select(p => p.Value));
        Assert.Equal(["", "8.5"], pairs.Where(p => p.Key == "amount[]").Select(p => p.Value));
        Assert.DoesNotContain(pairs, p => p.Key.StartsWith("order_line_items", StringComparison.Ordinal) || p.Key == "client_receipt_id");
    }

    [Fact]
    public void Single_field_rows_and_dates_travel_as_aria_expects()
    {
        var body = Serialize(new ReplaceAcctPlanMRequest
        {
            CouponCodes = [new() { CouponCodes = "WELCOME" }, new() { CouponCodes = "LOYAL" }],
            AltProrationStartDate = new DateOnly(2026, 11, 5),
            IncludePlanInstanceQueue = true,
        });
        var encoded = AriaFormEncoder.Encode(body);
        Assert.Contains("coupon_codes%5B%5D=WELCOME&coupon_codes%5B%5D=LOYAL", encoded, StringComparison.Ordinal);
        Assert.Contains("alt_proration_start_date=2026-11-05", encoded, StringComparison.Ordinal);
        Assert.Contains("include_plan_instance_queue=true", encoded, StringComparison.Ordinal);
        Assert.Contains("rest_call=replace_acct_plan_m", encoded, StringComparison.Ordinal);
    }

    [Fact]
    public void Replies_with_numbers_as_strings_are_read()
    {
        var reply = JsonSerializer.Deserialize("""{"error_code":"1011","error_msg":"invalid session","account_no":"123"}""", AriaJsonContext.Default.ValidateSessionMResponse)!;
        Assert.Equal(1011, reply.ErrorCode);
        Assert.Equal(123, reply.AccountNo);
    }

    [Fact]
    public void Requests_do_not_print_their_secrets()
    {
        var request = new SetSessionAuthMRequest { UserId = "alice", Password = "secret-pass" };
        Assert.Equal("set_session_auth_m", request.ToString());
    }
}
