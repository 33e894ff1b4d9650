using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Schema;

namespace BotRuntime.Tests.Schema;

/// <summary>
/// <see cref="Activity.Clone"/> is a field-by-field deep copy (issue 22; it was a JSON round trip). Every property of
/// every schema type is filled here by reflection, so a property added to the schema and not copied makes the copy
/// serialise differently and fails; and no object, list or dictionary may be shared, so changing the copy never
/// changes the original.
/// </summary>
public sealed class ActivityCopyTests
{
    [Fact]
    public void A_fully_populated_activity_copies_to_the_same_json()
    {
        var original = Filled<Activity>();
        var copy = original.Clone();
        Assert.Equal(BotJson.Serialize(original), BotJson.Serialize(copy));
    }

    [Fact]
    public void Every_property_of_the_schema_is_filled_by_the_test()
    {
        // Guards the test itself: a property it left null would be "copied" by any Clone.
        var json = BotJson.Serialize(Filled<Activity>());
        foreach (var property in SchemaProperties(typeof(Activity)))
        {
            Assert.Contains($"\"{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}\":", json, StringComparison.Ordinal);
        }
        Assert.Contains("\"x-extra", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_copy_shares_no_object_list_or_dictionary_with_the_original()
    {
        var original = Filled<Activity>();
        AssertNothingShared(original, original.Clone(), "activity");
    }

    [Fact]
    public void Changing_the_copy_leaves_the_original_as_it_was()
    {
        var original = Filled<Activity>();
        var before = BotJson.Serialize(original);
        var copy = original.Clone();
        copy.From!.Role = RoleTypes.Bot;
        copy.Conversation!.Id = "other";
        copy.Attachments!.Add(new Attachment { ContentType = "x" });
        copy.Attachments[0].Properties!["added"] = JsonSerializer.SerializeToElement(1);
        copy.SuggestedActions!.Actions![0].Title = "changed";
        copy.Entities![0].Properties!.Clear();
        copy.RelatesTo!.User!.Name = "someone";
        copy.ListenFor!.Add("more");
        copy.Properties!["added"] = JsonSerializer.SerializeToElement(2);
        Assert.Equal(before, BotJson.Serialize(original));
    }

    [Theory]
    [MemberData(nameof(ActivityRoundTripTests.Samples), MemberType = typeof(ActivityRoundTripTests))]
    public void A_channel_activity_copies_to_the_same_json(string sample)
    {
        var original = BotJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", "Samples", sample)))!;
        Assert.Equal(BotJson.Serialize(original), BotJson.Serialize(original.Clone()));
    }

    [Fact]
    public void A_json_value_read_from_a_disposed_document_would_fail_so_the_copy_owns_its_json()
    {
        // A value taken from a document the caller still owns (and will dispose) is copied, not shared.
        var activity = new Activity { Type = ActivityTypes.Message };
        Activity copy;
        using (var document = JsonDocument.Parse("""{"kept":true}"""))
        {
            activity.Value = document.RootElement;
            copy = activity.Clone();
        }
        Assert.Equal("""{"kept":true}""", copy.Value!.Value.GetRawText());
    }

    private static IEnumerable<PropertyInfo> SchemaProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite && property.GetCustomAttribute<JsonIgnoreAttribute>() is null && property.GetCustomAttribute<JsonExtensionDataAttribute>() is null);

    private static int _counter;

    private static T Filled<T>() => (T)Fill(typeof(T), depth: 0);

    /// <summary>A distinct value of <paramref name="type"/>; an unknown property type fails here, to be taught to the test (and to Clone).</summary>
    private static object Fill(Type type, int depth)
    {
        var n = Interlocked.Increment(ref _counter);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return $"s{n}";
        }
        if (type == typeof(bool))
        {
            return n % 2 == 0;
        }
        if (type == typeof(int))
        {
            return n;
        }
        if (type == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(n % 3)).AddTicks(n * 1_234_567);
        }
        if (type == typeof(JsonElement))
        {
            return JsonSerializer.SerializeToElement(new { n, list = new object?[] { n, "x", null } });
        }
        if (type == typeof(Dictionary<string, JsonElement>))
        {
            return new Dictionary<string, JsonElement> { [$"x-extra{n}"] = (JsonElement)Fill(typeof(JsonElement), depth) };
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            list.Add(Fill(type.GetGenericArguments()[0], depth));
            list.Add(Fill(type.GetGenericArguments()[0], depth));
            return list;
        }
        if (type.Namespace == typeof(Activity).Namespace && type.IsClass && depth < 4)
        {
            var value = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite && property.GetCustomAttribute<JsonIgnoreAttribute>() is null))
            {
                property.SetValue(value, Fill(property.PropertyType, depth + 1));
            }
            return value;
        }
        throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The copy test does not know how to fill {type} (depth {depth}): teach it, and make sure Activity.Clone copies it deeply."));
    }

    private static void AssertNothingShared(object original, object copy, string path)
    {
        var type = original.GetType();
        if (type == typeof(string) || type.IsValueType)
        {
            return;
        }
        Assert.False(ReferenceEquals(original, copy), $"{path} is shared between the original and the copy");
        if (original is IDictionary)
        {
            return; // values are JsonElement (immutable); the dictionary itself is checked above
        }
        if (original is IList list)
        {
            var copies = (IList)copy;
            for (var i = 0; i < list.Count; i++)
            {
                AssertNothingShared(list[i]!, copies[i]!, $"{path}[{i}]");
            }
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite))
        {
            if (property.GetValue(original) is { } value)
            {
                AssertNothingShared(value, property.GetValue(copy)!, $"{path}.{property.Name}");
            }
        }
    }
}
