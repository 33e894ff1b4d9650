using System.Text;
using System.Text.Json;
using AriaBot.Language;
using AriaBot.Understanding;
using BenchmarkDotNet.Attributes;
using BotRuntime.Recognition;
using BotRuntime.Schema;
using BotRuntime.State;

/// <summary>
/// The understander on a mix of what customers type (greetings, plan changes with names and counts, payments with
/// amounts, dates, Spanish), against a small plan catalogue: intent classification, entity recognition and fuzzy
/// catalogue matching, which every free-text turn pays.
/// </summary>
[MemoryDiagnoser]
public class RecognitionBenchmarks
{
    private static readonly (string Text, string Locale)[] Lines =
    [
        ("hi", "en-US"),
        ("help", "en-US"),
        ("switch me to premium", "en-US"),
        ("add 2 extra storage", "en-US"),
        ("pay $50 on friday", "en-US"),
        ("show my payments since March", "en-US"),
        ("cámbiame al plan Premium con 3 licencias", "es-ES"),
        ("quiero pagar mi saldo", "es-ES"),
    ];

    private static readonly UnderstandingContext Catalog = new()
    {
        Catalog =
        [
            new NamedItem("plan-basic", "Basic") { Kind = "plan" },
            new NamedItem("plan-standard", "Standard") { Kind = "plan" },
            new NamedItem("plan-premium", "Premium") { Kind = "plan" },
            new NamedItem("addon-storage", "Extra Storage") { Kind = "plan" },
        ],
        TimeZone = TimeZoneInfo.Utc,
    };

    private static readonly DateTime Reference = new(2026, 11, 25, 9, 0, 0, DateTimeKind.Unspecified);
    private Understander _understander = null!;

    [GlobalSetup]
    public void Setup() => _understander = new Understander(IntentExamples.LoadValidated(DialogsFolder.DefaultPath), TimeProvider.System);

    [Benchmark(Description = "Understander, 8 lines (en-US + es-ES)")]
    public int Understand()
    {
        var found = 0;
        foreach (var (text, locale) in Lines)
        {
            found += (int)_understander.Understand(text, locale, Catalog).Intent;
        }
        return found;
    }

    [Benchmark(Description = "DateTimeInput.FindAll(\"next friday at 5pm\")")]
    public int Date() => DateTimeInput.FindAll("next friday at 5pm", "en-US", Reference).Count;

    [Benchmark(Description = "NumberInput.FindAll(\"3 seats\")")]
    public int Number() => NumberInput.FindAll("3 seats", "en-US").Count;
}

/// <summary>
/// A turn's state traffic: read a conversation's document, write it back under its eTag (the save at the end of a
/// turn), on memory and on SQLite (a fresh file in the temp folder, WAL, as the bot runs it).
/// </summary>
[MemoryDiagnoser]
public class StateBenchmarks
{
    private IStorage _storage = null!;
    private string _path = string.Empty;
    private string _etag = string.Empty;
    private readonly string[] _keys = ["conversation/test/bench-1"];
    private JsonElement _document;

    [Params("memory", "sqlite")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"ariabot-micro-{Guid.NewGuid():N}.db");
        _storage = Store == "memory" ? new MemoryStorage() : SqliteStorage.ForFile(_path, TimeProvider.System);
        // About the size of a conversation in the middle of a dialog: a dialog stack with a few values.
        _document = JsonSerializer.SerializeToElement(new
        {
            DialogState = new { DialogStack = new[] { new { Id = "switchPlan", State = new { plan = "premium", step = 2, previewId = Guid.NewGuid() } } } },
            OpenWrites = Array.Empty<string>(),
            Locale = "en-US",
        });
        _etag = _storage.WriteAsync(new Dictionary<string, StoreWrite> { [_keys[0]] = new(_document, null) }).GetAwaiter().GetResult()[_keys[0]];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_storage as IDisposable)?.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Benchmark(Description = "read one key")]
    public async Task<int> Read() => (await _storage.ReadAsync(_keys).ConfigureAwait(false)).Count;

    [Benchmark(Description = "read, then write under its eTag")]
    public async Task<string> ReadWrite()
    {
        var item = (await _storage.ReadAsync(_keys).ConfigureAwait(false))[_keys[0]];
        var written = await _storage.WriteAsync(new Dictionary<string, StoreWrite> { [_keys[0]] = new(_document, item.ETag) }).ConfigureAwait(false);
        _etag = written[_keys[0]];
        return _etag;
    }
}

/// <summary>An activity as it crosses the wire: parsed from a channel's JSON, and a reply written back.</summary>
[MemoryDiagnoser]
public class ActivityJsonBenchmarks
{
    private const string Incoming = """
        {"type":"message","id":"m-1","timestamp":"2026-11-25T09:00:00.000Z","serviceUrl":"https://smba.trafficmanager.net/amer/",
         "channelId":"msteams","from":{"id":"29:1abc","name":"Ana","aadObjectId":"00000000-0000-0000-0000-000000000001"},
         "conversation":{"id":"a:1xyz","conversationType":"personal","tenantId":"t-1"},"recipient":{"id":"28:bot","name":"AriaBot"},
         "text":"switch me to premium","textFormat":"plain","locale":"en-US","channelData":{"tenant":{"id":"t-1"}}}
        """;

    private static readonly byte[] IncomingUtf8 = Encoding.UTF8.GetBytes(Incoming);

    private static readonly JsonDocumentOptions EdgeOptions = new() { MaxDepth = ActivityValidator.MaxDepth, AllowDuplicateProperties = false };

    private Activity _reply = null!;

    [GlobalSetup]
    public void Setup()
    {
        var incoming = BotJson.Deserialize(Incoming)!;
        _reply = incoming.CreateReply("This is what the billing system says the change will cost. Shall I go ahead?");
    }

    [Benchmark(Description = "deserialize an incoming message")]
    public Activity? Deserialize() => BotJson.Deserialize(Incoming);

    [Benchmark(Description = "read an incoming message at the edge (parse, check, build: ActivityValidator.Read)")]
    public Activity? ReadAtTheEdge() => ActivityValidator.Read(IncomingUtf8).Activity;

    /// <summary>What Read did before it checked and built in one walk, and still does for a body the walk leaves alone.</summary>
    [Benchmark(Description = "read it as an unusual body is read (parse, check, then the serializer)")]
    public Activity? ReadThroughTheSerializer()
    {
        using var document = JsonDocument.Parse(IncomingUtf8, EdgeOptions);
        return ActivityValidator.Validate(document.RootElement).Count == 0 ? document.RootElement.Deserialize<Activity>(BotJson.Options) : null;
    }

    [Benchmark(Description = "serialize a reply")]
    public string Serialize() => BotJson.Serialize(_reply);
}
