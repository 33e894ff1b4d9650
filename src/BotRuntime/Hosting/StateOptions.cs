using System.ComponentModel.DataAnnotations;

namespace BotRuntime.Hosting;

/// <summary>Where conversation state lives (configuration section <c>State</c>).</summary>
public sealed class StateOptions : IValidatableObject
{
    public const string SectionName = "State";

    /// <summary><c>Sqlite</c> (default), <c>Memory</c> (tests; lost on restart) or <c>Postgres</c> (scale-out).</summary>
    [Required]
    [RegularExpression("^(Sqlite|Memory|Postgres)$", ErrorMessage = "State:Provider must be Sqlite, Memory or Postgres.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>SQLite database file, relative to the content root. Default <c>App_Data/ariabot.db</c>.</summary>
    public string SqlitePath { get; set; } = "App_Data/ariabot.db";

    /// <summary>
    /// PostgreSQL connection string, required when <see cref="Provider"/> is <c>Postgres</c>. Every instance of a
    /// scaled-out bot uses the same one. <c>Max Auto Prepare</c> defaults to 32 and <c>No Reset On Close</c> to true
    /// unless given here; the Direct Line push listener also opens one dedicated connection with it, which needs a
    /// direct connection or session pooling (docs/scale-out.md).
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>How often expired items (delivery records, sign-in links, …) are purged. Default 5 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long conversation state (dialog stack, what the shell remembers, the open-write index) is kept after its
    /// last change; a conversation idle that long starts afresh (it already restarts after 12 hours idle). User
    /// state is kept. Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan ConversationRetention { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == "Postgres" && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult("State:PostgresConnectionString is required when State:Provider is Postgres.", [nameof(PostgresConnectionString)]);
        }
    }
}
