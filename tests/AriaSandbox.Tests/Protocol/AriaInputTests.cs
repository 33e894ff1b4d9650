using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AriaSandbox.Tests.Protocol;

public sealed class AriaInputTests
{
    private static readonly string[] Fields = ["client_sku", "units", "amount"];

    [Fact]
    public void Form_parallel_arrays_become_the_same_rows_as_json_objects()
    {
        var form = AriaInput.FromForm(new FormCollection(new Dictionary<string, StringValues>
        {
            ["client_sku[]"] = new(["RTR-AX3000", "CBL-CAT6-5M"]),
            ["units[]"] = new(["1", "3"]),
            ["amount[]"] = new(["", "8.50"]),
        }));
        var json = AriaInput.FromJson(JsonNode.Parse("""{"order_line_items":[{"client_sku":"RTR-AX3000","units":1},{"client_sku":"CBL-CAT6-5M","units":3,"amount":8.50}]}""")!.AsObject());

        var fromForm = form.Rows("order_line_items", Fields);
        var fromJson = json.Rows("order_line_items", Fields);
        Assert.Equal(2, fromForm.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(fromJson[i]["client_sku"], fromForm[i]["client_sku"]);
            Assert.Equal(fromJson[i]["units"], fromForm[i]["units"]);
            Assert.Equal(fromJson[i]["amount"], fromForm[i]["amount"]);
        }

        Assert.Null(fromForm[0]["amount"]);
    }

    [Fact]
    public void Indexed_php_arrays_are_read_too()
    {
        var form = AriaInput.FromForm(new FormCollection(new Dictionary<string, StringValues> { ["coupon_codes[0]"] = "A", ["coupon_codes[1]"] = "B" }));
        Assert.Equal(["A", "B"], form.Rows("coupon_codes", "coupon_codes").Select(r => r["coupon_codes"]));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void String_booleans_are_read(string value, bool expected) =>
        Assert.Equal(expected, AriaInput.FromJson(new JsonObject { ["do_write"] = value }).Bool("do_write", !expected));

    [Fact]
    public void Anything_else_is_1033_and_a_json_boolean_too()
    {
        Assert.Equal(1033, Assert.Throws<AriaFault>(() => AriaInput.FromJson(new JsonObject { ["do_write"] = "yes" }).Bool("do_write", true)).Code);
        Assert.Equal(1033, Assert.Throws<AriaFault>(() => AriaInput.FromJson(new JsonObject { ["do_write"] = false }).Bool("do_write", true)).Code);
        Assert.True(AriaInput.FromJson([]).Bool("do_write", defaultValue: true));
    }

    [Fact]
    public void Bad_dates_are_1024_and_bad_numbers_1016()
    {
        Assert.Equal(1024, Assert.Throws<AriaFault>(() => AriaInput.FromJson(new JsonObject { ["effective_date"] = "12/01/2026" }).Date("effective_date")).Code);
        Assert.Equal(1016, Assert.Throws<AriaFault>(() => AriaInput.FromJson(new JsonObject { ["acct_no"] = "abc" }).Long("acct_no")).Code);
    }
}
