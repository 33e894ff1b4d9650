using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace BotRuntime.Logging;

public static class BotLoggingExtensions
{
    // One line per event; the line end and the exception are written by ControlCharacterSafeFormatter.
    private const string ConsoleTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}{ConversationTag}: {Message:lj}";

    /// <summary>
    /// Serilog as the sink behind Microsoft.Extensions.Logging, with redaction in front of it: every log line
    /// of a turn carries the conversation and activity ids, and classified values never reach a sink.
    /// Minimum levels come from <c>Serilog:MinimumLevel</c> in configuration.
    /// </summary>
    public static WebApplicationBuilder AddBotLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var serilog = new LoggerConfiguration()
            .MinimumLevel.Information()
            // ASP.NET's own request lines include query strings, and Direct Line stream URLs carry tokens there.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore.Routing", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.With<ConversationTagEnricher>()
            // Values from requests (ids, paths, channel errors) never write a control character to the console.
            // Written by a background thread (issue 22: the synchronous write was ~6 % of a request); when the buffer is
            // full the request waits rather than a line being dropped, and disposing the logger at exit drains it.
            .WriteTo.Async(sink => sink.Console(new ControlCharacterSafeFormatter(ConsoleTemplate, System.Globalization.CultureInfo.InvariantCulture)),
                bufferSize: 10_000, blockWhenFull: true)
            .CreateLogger();

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilog, dispose: true);
        builder.Logging.EnableRedaction();
        builder.Services.AddBotRedaction();
        return builder;
    }

    /// <summary>Secrets and card data are erased; user text is scrubbed of card numbers and password phrases.</summary>
    public static IServiceCollection AddBotRedaction(this IServiceCollection services) =>
        services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(BotDataClassifications.Secret, BotDataClassifications.CardData);
            redaction.SetRedactor<UserTextRedactor>(BotDataClassifications.UserText);
            // Anything classified that no rule names is erased rather than printed.
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
}

/// <summary>Adds " [conversation/activity]" to console lines of a turn, keeping other lines short.</summary>
internal sealed class ConversationTagEnricher : Serilog.Core.ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory)
    {
        var tag = logEvent.Properties.TryGetValue("ConversationId", out var conversation)
            ? $" [{Unquote(conversation)}{(logEvent.Properties.TryGetValue("ActivityId", out var activity) ? "/" + Unquote(activity) : "")}]"
            : "";
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ConversationTag", tag));
    }

    private static string Unquote(LogEventPropertyValue value) => value is ScalarValue { Value: var v } ? v?.ToString() ?? "" : value.ToString();
}
