using System.Reflection;
using System.Text.Json;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

/// <summary>
/// Read-only card actions are shared between replies instead of copied for each (issue 22: a menu's buttons): no one
/// holding a reply may change a shared action, and a reply still serialises and copies as before.
/// </summary>
public sealed class ReadOnlyCardActionTests
{
    private static readonly PropertyInfo[] Settable =
        [.. typeof(CardAction).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite)];

    [Fact]
    public void No_setter_of_a_read_only_action_changes_it()
    {
        var shared = Full().AsReadOnly();
        var before = JsonSerializer.Serialize(shared, BotJson.Options);

        Assert.Equal(9, Settable.Length);
        foreach (var property in Settable)
        {
            var thrown = Assert.Throws<TargetInvocationException>(() => property.SetValue(shared, null));
            Assert.IsType<InvalidOperationException>(thrown.InnerException);
        }
        Assert.True(shared.IsReadOnly);
        Assert.Equal(before, JsonSerializer.Serialize(shared, BotJson.Options));
    }

    [Fact]
    public void A_read_only_action_is_the_same_json_as_the_action_it_was_made_from_and_its_source_stays_writable()
    {
        var source = Full();
        var expected = JsonSerializer.Serialize(source, BotJson.Options);
        var shared = source.AsReadOnly();

        source.Title = "changed later";
        source.Value = JsonSerializer.SerializeToElement("changed too");

        Assert.False(source.IsReadOnly);
        Assert.Equal(expected, JsonSerializer.Serialize(shared, BotJson.Options));
        Assert.DoesNotContain("readOnly", expected, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_reply_sharing_a_read_only_action_copies_to_the_same_json_and_no_copy_can_change_it()
    {
        var shared = CardAction.ImBack("Make a payment").AsReadOnly();
        var reply = MessageFactory.SuggestedActions([shared, CardAction.ImBack("Talk to a person")], "What next?");
        var before = BotJson.Serialize(reply);

        var copy = reply.Clone();
        var other = reply.Clone();

        Assert.Equal(before, BotJson.Serialize(copy));
        Assert.Same(shared, copy.SuggestedActions!.Actions![0]);
        Assert.NotSame(reply.SuggestedActions!.Actions![1], copy.SuggestedActions.Actions[1]);
        Assert.Throws<InvalidOperationException>(() => copy.SuggestedActions.Actions[0].Title = "changed by a later step");
        copy.SuggestedActions.Actions[1].Title = "changed in the copy only";
        copy.SuggestedActions.Actions.RemoveAt(0);
        Assert.Equal(before, BotJson.Serialize(reply));
        Assert.Equal(before, BotJson.Serialize(other));
    }

    [Fact]
    public void An_action_with_extension_data_is_never_made_read_only()
    {
        var action = CardAction.ImBack("x");
        action.Properties = new() { ["x-extra"] = JsonSerializer.SerializeToElement(1) };

        Assert.Throws<InvalidOperationException>(action.AsReadOnly);
    }

    [Fact]
    public void An_action_read_from_json_and_a_value_from_a_disposed_document_stay_usable()
    {
        var read = JsonSerializer.Deserialize<CardAction>("""{"type":"imBack","title":"Pay","value":"Pay"}""", BotJson.Options)!;
        read.Title = "writable";
        Assert.False(read.IsReadOnly);

        CardAction shared;
        using (var document = JsonDocument.Parse("""{"kept":true}"""))
        {
            shared = new CardAction { Type = ActionTypes.PostBack, Title = "Kept", Value = document.RootElement }.AsReadOnly();
        }
        Assert.Equal("""{"type":"postBack","title":"Kept","value":{"kept":true}}""", JsonSerializer.Serialize(shared, BotJson.Options));
    }

    private static CardAction Full() => new()
    {
        Type = ActionTypes.MessageBack,
        Title = "Añadir <plan>",
        Image = "https://example.test/i.png",
        ImageAltText = "icon",
        Text = "add",
        DisplayText = "Add",
        Value = JsonSerializer.SerializeToElement(new { plan = "premium", units = 2 }),
        ChannelData = JsonSerializer.SerializeToElement(new { teams = true }),
    };
}
