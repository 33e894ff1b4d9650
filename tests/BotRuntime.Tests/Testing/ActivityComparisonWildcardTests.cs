using System.Text.Json;
using BotRuntime.Schema;
using BotRuntime.Testing;

namespace BotRuntime.Tests.Testing;

public sealed class ActivityComparisonWildcardTests
{
    private static Activity WithButtonValue(object value) => new()
    {
        Type = ActivityTypes.Message,
        Text = "Confirm?",
        SuggestedActions = new SuggestedActions { Actions = [new CardAction { Type = ActionTypes.MessageBack, Title = "Confirm", Value = JsonSerializer.SerializeToElement(value) }] },
    };

    [Fact]
    public void An_any_value_in_the_expected_activity_matches_whatever_was_sent()
    {
        var expected = WithButtonValue(new { action = "confirmChange", previewId = ActivityComparison.AnyValue });
        Assert.Null(ActivityComparison.FirstDifference(expected, WithButtonValue(new { action = "confirmChange", previewId = "pv_123" })));
        Assert.Null(ActivityComparison.FirstDifference(expected, WithButtonValue(new { action = "confirmChange", previewId = 42 })));
    }

    [Fact]
    public void Everything_else_is_still_compared()
    {
        var expected = WithButtonValue(new { action = "confirmChange", previewId = ActivityComparison.AnyValue });
        var difference = ActivityComparison.FirstDifference(expected, WithButtonValue(new { action = "declineChange", previewId = "pv_123" }));
        Assert.Contains("action", difference, StringComparison.Ordinal);
        Assert.NotNull(ActivityComparison.FirstDifference(expected, WithButtonValue(new { action = "confirmChange" })));
    }
}
