using System.Globalization;
using System.Text;
using AriaBot.Language;
using Microsoft.AspNetCore.Antiforgery;

namespace AriaBot.SignIn.VerificationCodes;

/// <summary>The sentences a flow's code page says, all from the flow's own <c>dialogs/</c> file.</summary>
/// <param name="WrongCodeOneLeft">Said instead of <paramref name="WrongCode"/> when one try is left; null: the count is said.</param>
internal sealed record VerificationPageWords(
    WordKey Title, WordKey Intro, WordKey CodeLabel, WordKey Submit,
    WordKey WrongCode, WordKey? WrongCodeOneLeft,
    WordKey LockedTitle, WordKey Locked, WordKey CodeEndedTitle, WordKey CodeEnded,
    WordKey LinkUnusableTitle, WordKey LinkUnusable, WordKey RateLimitedTitle, WordKey RateLimited,
    WordKey BadRequestTitle, WordKey BadRequest);

/// <summary>The size limits of a page's posted form (<see cref="SecurePageForm"/>).</summary>
internal sealed record VerificationFormLimits(int MaxBodyBytes, int MaxValues, int MaxValueLength);

/// <summary>A post that passed the shared checks: its form, the open link's state, and the language to answer in.</summary>
internal sealed record VerificationPost(IFormCollection Form, string State, string Locale);

/// <summary>
/// The page a verification code is entered on (<c>GET</c> shows, only <c>POST</c> counts), built like the sign-in page
/// (its headers, style, antiforgery and frame; no script; nothing typed is written back into a page): the form — the
/// code field first, then whatever else the flow asks for — the post's shared checks in their order (the per-address
/// limit before anything else, then the form's limits and antiforgery, then the link), and the answers every such page
/// gives (wrong code, locked, code ended, link unusable). What a right code then does is the flow's.
/// </summary>
internal sealed class VerificationPage(PathString path, VerificationPageWords texts, VerificationFormLimits limits)
{
    internal const string StateField = "state";
    internal const string CodeField = "code";

    public PathString Path => path;

    /// <summary><c>GET</c>: the form for an open link (changing nothing), else 410.</summary>
    /// <param name="extraFields">The flow's own fields after the code, already encoded, for a locale.</param>
    public async Task<IResult> ShowAsync(HttpContext context, IVerificationPageSide flow, IAntiforgery antiforgery, IWords words, Func<string, string>? extraFields = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(flow);
        var states = context.Request.Query[StateField];
        var state = states.Count == 1 ? states[0] : null;
        var (usable, linkLocale) = await flow.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? SignInPage.BrowserLocale(context);
        return usable ? Form(context, antiforgery, words, locale, state!, null, StatusCodes.Status200OK, extraFields?.Invoke(locale)) : LinkUnusable(words, locale);
    }

    /// <summary>The shared checks of a <c>POST</c>: the post when it may go on, else the answer to send instead.</summary>
    public async Task<(VerificationPost? Post, IResult? Refusal)> ReadPostAsync(HttpContext context, IVerificationPageSide flow, IAntiforgery antiforgery, IWords words)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(flow);
        var browserLocale = SignInPage.BrowserLocale(context);
        if (await flow.TakePostFromAsync(context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } retryAfter)
        {
            return (null, Message(words, browserLocale, StatusCodes.Status429TooManyRequests, texts.RateLimitedTitle, texts.RateLimited, retryAfter));
        }
        var (form, refusal) = await SecurePageForm.ReadAsync(context, antiforgery, limits.MaxBodyBytes, limits.MaxValues, limits.MaxValueLength).ConfigureAwait(false);
        if (form is null)
        {
            return (null, Message(words, browserLocale, refusal, texts.BadRequestTitle, texts.BadRequest));
        }
        var state = SecurePageHtml.Single(form, StateField);
        var (usable, linkLocale) = await flow.OpenAsync(state, context.RequestAborted).ConfigureAwait(false);
        var locale = linkLocale ?? browserLocale;
        if (!usable)
        {
            return (null, LinkUnusable(words, locale));
        }
        return (new VerificationPost(form, state!, locale), null);
    }

    /// <summary>The code as posted (trimmed), or null when it is missing or longer than <paramref name="maxLength"/>.</summary>
    public static string? CodeOf(VerificationPost post, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(post);
        var code = SecurePageHtml.Single(post.Form, CodeField)?.Trim();
        return string.IsNullOrEmpty(code) || code.Length > maxLength ? null : code;
    }

    public IResult WrongCode(HttpContext context, IAntiforgery antiforgery, IWords words, VerificationPost post, int attemptsLeft, string? extraFields = null)
    {
        ArgumentNullException.ThrowIfNull(post);
        var error = attemptsLeft == 1 && texts.WrongCodeOneLeft is { } oneLeft
            ? words.Format(oneLeft, post.Locale)
            : words.Format(texts.WrongCode, post.Locale, new { attemptsLeft = attemptsLeft.ToString(CultureInfo.InvariantCulture) });
        return Form(context, antiforgery, words, post.Locale, post.State, error, StatusCodes.Status422UnprocessableEntity, extraFields);
    }

    public IResult Locked(IWords words, string locale) => Message(words, locale, StatusCodes.Status403Forbidden, texts.LockedTitle, texts.Locked);

    public IResult CodeEnded(IWords words, string locale) => Message(words, locale, StatusCodes.Status410Gone, texts.CodeEndedTitle, texts.CodeEnded);

    public IResult LinkUnusable(IWords words, string locale) => Message(words, locale, StatusCodes.Status410Gone, texts.LinkUnusableTitle, texts.LinkUnusable);

    /// <summary>The form: title, intro, an error if any, the link's state and the antiforgery token, the code, the flow's fields, the button.</summary>
    public SignInPage.HtmlPage Form(HttpContext context, IAntiforgery antiforgery, IWords words, string locale, string state, string? error, int status, string? extraFields = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(antiforgery);
        ArgumentNullException.ThrowIfNull(words);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();
        html.Append("<h1>").Append(Encode(words.Format(texts.Title, locale))).Append("</h1>\n");
        html.Append("<p class=\"intro\">").Append(Encode(words.Format(texts.Intro, locale))).Append("</p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>\n");
        }
        html.Append("<form method=\"post\" action=\"").Append(Encode(context.Request.PathBase + path)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(StateField).Append("\" value=\"").Append(Encode(state)).Append("\">\n");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"").Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\">\n");
        Field(html, CodeField, words.Format(texts.CodeLabel, locale), "text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"10", autofocus: true);
        html.Append(extraFields);
        html.Append("<button type=\"submit\">").Append(Encode(words.Format(texts.Submit, locale))).Append("</button>\n</form>\n");
        return new SignInPage.HtmlPage(status, Document(words, locale, words.Format(texts.Title, locale), html.ToString(), context.Request.PathBase));
    }

    /// <summary>A labelled input; <paramref name="typeAndAttributes"/> is trusted markup (the type and its attributes).</summary>
    public static void Field(StringBuilder html, string name, string label, string typeAndAttributes, bool autofocus = false)
    {
        ArgumentNullException.ThrowIfNull(html);
        html.Append("<label for=\"").Append(name).Append("\">").Append(Encode(label)).Append("</label>\n");
        html.Append("<input id=\"").Append(name).Append("\" name=\"").Append(name).Append("\" type=\"").Append(typeAndAttributes).Append("\" required")
            .Append(autofocus ? " autofocus" : string.Empty).Append(">\n");
    }

    /// <summary>A page with a heading and one sentence (an outcome or a refusal).</summary>
    public static SignInPage.HtmlPage Message(IWords words, string locale, int status, WordKey title, WordKey text, TimeSpan retryAfter = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        var heading = words.Format(title, locale);
        var html = $"<h1>{Encode(heading)}</h1>\n<p class=\"intro\">{Encode(words.Format(text, locale))}</p>\n";
        return new SignInPage.HtmlPage(status, Document(words, locale, heading, html, PathString.Empty), retryAfter);
    }

    public static string Encode(string text) => SecurePageHtml.Encode(text);

    private static string Document(IWords words, string locale, string title, string body, PathString pathBase) =>
        SecurePageHtml.Document(locale, words.Format(SignInWords.PageHeader, locale), title, body, pathBase);
}
