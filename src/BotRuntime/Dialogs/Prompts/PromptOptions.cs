using System.Text.Json;
using System.Text.Json.Serialization;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.State;

namespace BotRuntime.Dialogs.Prompts;

/// <summary>What a prompt says and how it judges the answer. Saved with the prompt, so keep it serialisable.</summary>
public sealed class PromptOptions
{
    /// <summary>The default of <see cref="MaxAttempts"/>.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The question; its <c>inputHint</c> becomes <c>expectingInput</c> unless it is <c>ignoringInput</c>.</summary>
    public Activity? Prompt { get; set; }

    /// <summary>
    /// Sent after every failed attempt — also when something else (a typing indicator, the validator's own
    /// message) was sent in the same turn, unlike the SDK. Default: <see cref="Prompt"/> again.
    /// </summary>
    public Activity? RetryPrompt { get; set; }

    /// <summary>The choices of a choice prompt (shown as buttons or a list, see <see cref="Style"/>).</summary>
    [JsonConverter(typeof(ChoiceListConverter))]
    public List<Choice>? Choices { get; set; }

    /// <summary>How choices are shown; null uses the prompt's own <c>Style</c> (default <see cref="ListStyle.Auto"/>).</summary>
    public ListStyle? Style { get; set; }

    /// <summary>
    /// Settings the prompt or validator reads (e.g. <see cref="MoneyOptions"/> for a money prompt). Stored as JSON:
    /// read it with <see cref="GetValidations{T}"/>.
    /// </summary>
    public object? Validations { get; set; }

    /// <summary>
    /// Failed attempts allowed before the prompt gives up and ends with a <see cref="PromptTooManyAttempts"/> result
    /// (its parent decides what next: offer help, a person…). Default <see cref="DefaultMaxAttempts"/> (3);
    /// <see cref="int.MaxValue"/> for no limit.
    /// </summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>Sent when the prompt gives up, before its parent resumes. Default: nothing (the parent speaks).</summary>
    public Activity? TooManyAttemptsMessage { get; set; }

    /// <summary><see cref="Validations"/> as <typeparamref name="T"/>, whether it is still the object given or JSON read from storage.</summary>
    public T? GetValidations<T>() where T : class => Validations switch
    {
        null => null,
        T typed => typed,
        JsonElement json => json.Deserialize<T>(StateJson.Options),
        var other => JsonSerializer.SerializeToElement(other, other.GetType(), StateJson.Options).Deserialize<T>(StateJson.Options),
    };
}

/// <summary>How choices are presented.</summary>
public enum ListStyle
{
    /// <summary>Only the prompt text; the caller shows the choices some other way.</summary>
    None,

    /// <summary>Suggested actions where the channel shows them, else a hero card, else text (see <see cref="ChoiceFactory"/>).</summary>
    Auto,

    /// <summary>"(1) Gold, (2) Silver, or (3) Bronze" appended to the text.</summary>
    Inline,

    /// <summary>A numbered list under the text.</summary>
    List,

    /// <summary>Suggested actions; on a channel that cannot show them (Teams group chats, Slack) it degrades as <see cref="Auto"/> does.</summary>
    SuggestedAction,

    /// <summary>A hero card with one button per choice.</summary>
    HeroCard,
}

/// <summary>Recognition's <see cref="Choice"/> has two constructors, so it is stored through this converter.</summary>
internal sealed class ChoiceListConverter : JsonConverter<List<Choice>>
{
    private sealed record StoredChoice(string Value, List<string>? Synonyms);

    public override List<Choice>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<List<StoredChoice>>(ref reader, options)?.Select(c => new Choice(c.Value, c.Synonyms ?? [])).ToList();

    public override void Write(Utf8JsonWriter writer, List<Choice> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Select(c => new StoredChoice(c.Value, c.Synonyms.Count == 0 ? null : [.. c.Synonyms])).ToList(), options);
}
