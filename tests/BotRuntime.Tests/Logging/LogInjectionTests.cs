using System.Text;
using BotRuntime.Hosting;
using BotRuntime.Logging;
using BotRuntime.Tests.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Parsing;

namespace BotRuntime.Tests.Logging;

/// <summary>Console.Out is process-wide: these tests swap it, so nothing else runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>
/// Finding 5: unauthenticated values (a <c>channelId</c>, a request path) with CR/LF and ANSI escapes were written
/// into console log lines as they came, forging lines and driving the operator's terminal.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class LogInjectionTests
{
    private const string Forged = "[12:00:00 WRN] Forged: all good";

    [Fact]
    public async Task Request_data_with_line_breaks_and_escapes_never_forges_a_console_line_or_writes_an_escape()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["State:Provider"] = "Memory", ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001", ["MicrosoftAppPassword"] = "not-a-real-password" });
            builder.AddBotRuntime();
            builder.Services.AddSingleton<BotRuntime.Builder.IBot>(new RecordingBot());
            await using var app = builder.Build();
            app.MapBotRuntime();
            await app.StartAsync();
            var client = app.GetTestClient();

            // A channelId carrying a forged line and a colour escape, unauthenticated.
            var activity = BotTestHost.Message("hello");
            activity.ChannelId = $"x\r\n{Forged}\u001b[31m";
            await client.PostAsync(new Uri("/api/messages", UriKind.Relative),
                new StringContent(BotRuntime.Schema.BotJson.Serialize(activity), Encoding.UTF8, "application/json"));
            // A path carrying the same (the request log line prints the decoded path).
            await client.GetAsync(new Uri("/nothing%0D%0A" + Uri.EscapeDataString(Forged) + "%1B%5B31m", UriKind.Relative));
            await app.StopAsync();
            // The console sink writes on a background thread: disposing the logger drains it before Console.Out is restored.
            await app.DisposeAsync();
        }
        finally
        {
            Console.SetOut(original);
        }

        var output = console.ToString();
        Assert.Contains("/nothing", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith(Forged, StringComparison.Ordinal));
    }

    [Fact]
    public void The_formatter_escapes_every_control_character_in_properties_and_indents_exception_lines()
    {
        var formatter = new ControlCharacterSafeFormatter("{Message:lj}");
        var template = new MessageTemplateParser().Parse("channel {ChannelId}");
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Warning,
            new InvalidOperationException($"bad\n{Forged}\u001b[0m"), template,
            [new LogEventProperty("ChannelId", new ScalarValue("a\r\nb\u001b[31mc\u0085d\u2028e\u202ef\tg\u0000"))]);
        var output = new StringWriter();

        formatter.Format(logEvent, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal("channel a\\r\\nb\\u001B[31mc\\u0085d\\u2028e\\u202Ef\\tg\\u0000", lines[0]);
        Assert.All(lines.Skip(1).Where(line => line.Length > 0), line => Assert.StartsWith("    ", line, StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', output.ToString());
    }
}
