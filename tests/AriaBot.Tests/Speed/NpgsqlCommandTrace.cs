using System.Collections.Concurrent;
using System.Diagnostics;

namespace AriaBot.Tests.Speed;

/// <summary>
/// Every command Npgsql sends to one database (its trace: one activity per round trip), from creation to disposal.
/// The listener hears the whole test process, where other classes' hosts run on databases of their own at the same
/// time: a command counts only when its activity names this database (span name or a tag such as the database's).
/// </summary>
internal sealed class NpgsqlCommandTrace : IDisposable
{
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ActivityListener _listener;

    public NpgsqlCommandTrace(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Names(activity, database))
                {
                    _commands.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? "?");
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public List<string> Commands => [.. _commands];

    public void Dispose() => _listener.Dispose();

    private static bool Names(Activity activity, string database) =>
        activity.DisplayName.Contains(database, StringComparison.Ordinal)
        || activity.TagObjects.Any(tag => tag.Key != "db.query.text" && tag.Key != "db.statement"
            && tag.Value is string value && value.Contains(database, StringComparison.Ordinal));
}
