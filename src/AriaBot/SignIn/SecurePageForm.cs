using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AriaBot.SignIn;

/// <summary>
/// How every secure page (sign-in, forgot password, password reset, payment method, e-mail change) reads its posted
/// form: small limits, because anything bigger is not a browser filling in one of our forms, and the antiforgery token
/// checked before any field is used. One place, so a limit or a new kind of malformed body is handled on every page.
/// </summary>
internal static class SecurePageForm
{
    /// <summary>The form, or null with the status to answer instead: 413 for a body over the limit, 400 for anything else.</summary>
    public static async Task<(IFormCollection? Form, int RefusalStatus)> ReadAsync(
        HttpContext context, IAntiforgery antiforgery, int maxBodyBytes, int maxValues, int maxValueLength)
    {
        var request = context.Request;
        if (request.ContentLength > maxBodyBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        if (!request.HasFormContentType)
        {
            return (null, StatusCodes.Status400BadRequest);
        }

        try
        {
            context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
            {
                BufferBody = true,
                MemoryBufferThreshold = maxBodyBytes,
                BufferBodyLengthLimit = maxBodyBytes,
                ValueCountLimit = maxValues,
                KeyLengthLimit = 64,
                ValueLengthLimit = maxValueLength,
                MultipartBodyLengthLimit = maxBodyBytes,
            }));
            var form = await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
            return (form, 0);
        }
        catch (Exception exception) when (exception is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException or IOException or FormatException or InvalidOperationException)
        {
            return (null, StatusCodes.Status400BadRequest);
        }
    }
}
