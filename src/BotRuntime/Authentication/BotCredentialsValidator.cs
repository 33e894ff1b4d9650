using BotRuntime.Hosting;
using Microsoft.Extensions.Options;

namespace BotRuntime.Authentication;

/// <summary>The kinds of Azure Bot Service identity (<c>MicrosoftAppType</c>).</summary>
public enum BotAppType
{
    MultiTenant,
    SingleTenant,
    UserAssignedMSI,
}

public static class BotCredentialsExtensions
{
    /// <summary>The configured app type; an empty value means <c>MultiTenant</c>, as in Azure Bot Service templates. Null when unknown.</summary>
    public static BotAppType? AppType(this BotCredentialsOptions credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (string.IsNullOrWhiteSpace(credentials.MicrosoftAppType))
        {
            return BotAppType.MultiTenant;
        }
        // Enum.TryParse would also accept "1" or "MultiTenant, SingleTenant"; only the names are meaningful here.
        foreach (var type in Enum.GetValues<BotAppType>())
        {
            if (string.Equals(credentials.MicrosoftAppType.Trim(), type.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return type;
            }
        }
        return null;
    }
}

/// <summary>
/// Refuses to start with an Azure Bot Service identity that could never get a token, with one clear message per
/// problem, instead of failing at the first reply.
/// </summary>
internal sealed class BotCredentialsValidator : IValidateOptions<BotCredentialsOptions>
{
    public ValidateOptionsResult Validate(string? name, BotCredentialsOptions options)
    {
        List<string> failures = [];
        if (!options.HasAppId)
        {
            // Templates ship every key empty (and often MicrosoftAppType=MultiTenant) for local runs; only a secret
            // without an identity is certainly a mistake.
            if (!string.IsNullOrEmpty(options.MicrosoftAppPassword))
            {
                failures.Add("MicrosoftAppPassword is set but MicrosoftAppId is empty: set the app id of the Azure Bot registration too.");
            }
            return Result(failures);
        }

        var type = options.AppType();
        var hasPassword = !string.IsNullOrEmpty(options.MicrosoftAppPassword);
        var hasTenant = !string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId);
        switch (type)
        {
            case null:
                failures.Add($"MicrosoftAppType '{options.MicrosoftAppType}' is unknown: use MultiTenant, SingleTenant or UserAssignedMSI.");
                break;
            case BotAppType.MultiTenant when !hasPassword:
                failures.Add("MicrosoftAppType MultiTenant needs MicrosoftAppPassword (the client secret of the app registration).");
                break;
            case BotAppType.SingleTenant:
                if (!hasTenant)
                {
                    failures.Add("MicrosoftAppType SingleTenant needs MicrosoftAppTenantId (the tenant of the app registration).");
                }
                if (!hasPassword)
                {
                    failures.Add("MicrosoftAppType SingleTenant needs MicrosoftAppPassword (the client secret of the app registration).");
                }
                break;
            case BotAppType.UserAssignedMSI:
                if (!hasTenant)
                {
                    failures.Add("MicrosoftAppType UserAssignedMSI needs MicrosoftAppTenantId (the tenant of the managed identity).");
                }
                if (hasPassword)
                {
                    failures.Add("MicrosoftAppType UserAssignedMSI must not have a MicrosoftAppPassword: the managed identity has no secret; remove it.");
                }
                break;
        }
        if (hasTenant && (options.MicrosoftAppTenantId!.Contains('/', StringComparison.Ordinal) || options.MicrosoftAppTenantId.Any(char.IsWhiteSpace)))
        {
            failures.Add("MicrosoftAppTenantId must be a tenant id or domain (no '/' or spaces).");
        }
        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
