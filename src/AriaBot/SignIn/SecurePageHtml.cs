using System.Text.Encodings.Web;
using BotRuntime.Recognition;

namespace AriaBot.SignIn;

/// <summary>
/// The HTML every secure page shares (sign-in, password reset, payment method): one frame with no script, no
/// third-party resource and <c>no-referrer</c>, the shared stylesheet, and one encoder for everything written into it.
/// The pages differ in their forms and words, never in this frame, so a header or policy change reaches all of them.
/// </summary>
internal static class SecurePageHtml
{
    // Every script allowed as it is ("Contraseña", not "Contrase&#xF1;a"); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Encode(string text) => Encoder.Encode(text);

    /// <summary>A form field given exactly once; a repeated or missing field is null (the page then refuses the post).</summary>
    public static string? Single(IFormCollection form, string name)
    {
        ArgumentNullException.ThrowIfNull(form);
        return form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
    }

    /// <param name="locale">The page's language (the document's <c>lang</c>).</param>
    /// <param name="header">The brand line at the top, already localized.</param>
    /// <param name="title">The document title, already localized.</param>
    /// <param name="body">The page's own markup, already encoded.</param>
    /// <param name="pathBase">The app's path base, for the stylesheet link.</param>
    public static string Document(string locale, string header, string title, string body, PathString pathBase) =>
        $"""
        <!DOCTYPE html>
        <html lang="{Encode(BotCulture.Resolve(locale).Name)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex, nofollow">
        <title>{Encode(title)}</title>
        <link rel="stylesheet" href="{Encode(pathBase + SignInPage.StylesheetPath)}">
        </head>
        <body>
        <header class="brand"><span class="brand-mark" aria-hidden="true"></span><span>{Encode(header)}</span></header>
        <main class="card">
        {body}</main>
        </body>
        </html>

        """;
}
