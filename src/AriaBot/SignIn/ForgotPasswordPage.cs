using System.Text;
using AriaBot.Language;
using BotRuntime.Builder;
using BotRuntime.Connector;
using BotRuntime.Schema;
using Microsoft.AspNetCore.Antiforgery;

namespace AriaBot.SignIn;

/// <summary>
/// The sign-in page's "Forgot your password?" button. It posts the page's state (never in a URL) with the page's
/// antiforgery token to <c>POST /signin/forgot-password</c>, which starts the reset in the chat the link belongs to: a
/// message into that conversation (our Direct Line: straight into its log and stream; the Bot Connector: only to the
/// serviceUrl an authenticated request recorded for it) whose button says "I forgot my password" there — the shell then
/// cancels the waiting sign-in cleanly and begins the reset, which asks the user id in the chat. Nothing is consumed:
/// the sign-in link still works until the chat cancels it. No body or query is logged; the answer is a page, no script.
/// </summary>
internal static partial class ForgotPasswordPage
{
    public const string Path = "/signin/forgot-password";

    private const int MaxBodyBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapForgotPasswordPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, PostAsync);
        return endpoints;
    }

    /// <summary>The button under the sign-in form (a form of its own, so it carries only the state and the token).</summary>
    public static void AppendButton(StringBuilder html, HttpContext context, AntiforgeryTokenSet tokens, IWords words, string locale, string state)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        html.Append("<form method=\"post\" class=\"note\" id=\"forgot-password\" action=\"").Append(SecurePageHtml.Encode(context.Request.PathBase + Path)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(SignInPage.StateField).Append("\" value=\"").Append(SecurePageHtml.Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(SecurePageHtml.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(SecurePageHtml.Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        // An input, not a button: the page's one button stays the sign-in (what a customer's Enter and a script's
        // "the submit button" mean).
        html.Append("<input type=\"submit\" value=\"").Append(SecurePageHtml.Encode(words.Format(SignInWords.PageForgotPassword, locale))).Append("\">\n</form>\n");
    }

    private static async Task<IResult> PostAsync(HttpContext context, SignInLinks links, IAntiforgery antiforgery, IWords words, ConversationConnectors connectors,
        ILoggerFactory loggers)
    {
        var browserLocale = SignInPage.BrowserLocale(context);
        // The sign-in page's own per-address limit: this post is one more way to reach the links.
        if (await links.TakePostFromAsync(context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } retryAfter)
        {
            return Message(words, browserLocale, StatusCodes.Status429TooManyRequests, SignInWords.PageRateLimitedTitle, SignInWords.PageRateLimited, retryAfter);
        }
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, MaxBodyBytes, maxValues: 4, maxValueLength: 1024).ConfigureAwait(false);
        if (form is null)
        {
            return Message(words, browserLocale, refusal, SignInWords.PageBadRequestTitle, SignInWords.PageBadRequest);
        }

        var chat = await links.ChatOfAsync(SecurePageHtml.Single(form, SignInPage.StateField), context.RequestAborted).ConfigureAwait(false);
        if (chat is null)
        {
            return Message(words, browserLocale, StatusCodes.Status410Gone, SignInWords.PageLinkUnusableTitle, SignInWords.PageLinkUnusable);
        }
        var locale = chat.Locale ?? browserLocale;
        var told = await TellChatAsync(chat, words, connectors, loggers.CreateLogger(typeof(ForgotPasswordPage)), context.RequestAborted).ConfigureAwait(false);
        return told
            ? Message(words, locale, StatusCodes.Status200OK, SignInWords.PageForgotPasswordSentTitle, SignInWords.PageForgotPasswordSent)
            : Message(words, locale, StatusCodes.Status200OK, SignInWords.PageForgotPasswordSentTitle, SignInWords.PageForgotPasswordNoChat);
    }

    /// <summary>The message into the link's chat; false when it could not be delivered (the page then says what to do).</summary>
    private static async Task<bool> TellChatAsync(SignInChat chat, IWords words, ConversationConnectors connectors, ILogger logger, CancellationToken cancellationToken)
    {
        if (chat.Reference is not { } reference)
        {
            return false;
        }
        var message = MessageFactory.Text(words.Format(SignInWords.ForgotPasswordInChat, chat.Locale)).ApplyConversationReference(reference);
        message.SuggestedActions = new SuggestedActions
        {
            Actions = [CardAction.ImBack(words.Format(SignInWords.ForgotPasswordButton, chat.Locale), words.Format(SignInWords.ForgotPasswordPhrase, chat.Locale))],
        };
        // Older links recorded no ingress: they are reached only through the Bot Connector's trust check, as before.
        if (await connectors.TrySendAsync(chat.Ingress ?? TurnIngress.Unknown, chat.ConversationId, reference, message, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            LogNotDelivered(logger, chat.LinkId, failure);
            return false;
        }
        LogStarted(logger, chat.LinkId);
        return true;
    }

    private static SignInPage.HtmlPage Message(IWords words, string locale, int status, WordKey title, WordKey text, TimeSpan retryAfter = default)
    {
        var heading = words.Format(title, locale);
        var html = $"<h1>{SecurePageHtml.Encode(heading)}</h1>\n<p class=\"intro\">{SecurePageHtml.Encode(words.Format(text, locale))}</p>\n";
        return new SignInPage.HtmlPage(status, SecurePageHtml.Document(locale, words.Format(SignInWords.PageHeader, locale), heading, html, PathString.Empty), retryAfter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in link {LinkId}: the page's forgot-password button told the chat")]
    private static partial void LogStarted(ILogger logger, string linkId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in link {LinkId}: the page's forgot-password button could not reach the chat ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string linkId, string reason);
}
