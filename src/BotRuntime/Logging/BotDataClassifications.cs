using Microsoft.Extensions.Compliance.Classification;

namespace BotRuntime.Logging;

/// <summary>
/// What may never reach a log as written. Log parameters carry one of these attributes and the redaction
/// engine (configured in <see cref="BotLoggingExtensions"/>) rewrites them before any sink sees them.
/// </summary>
public static class BotDataClassifications
{
    public const string Taxonomy = "AriaBot";

    /// <summary>Passwords, auth keys, session ids, one-time codes, tokens, form bodies: erased.</summary>
    public static DataClassification Secret { get; } = new(Taxonomy, nameof(Secret));

    /// <summary>Card and bank numbers: erased.</summary>
    public static DataClassification CardData { get; } = new(Taxonomy, nameof(CardData));

    /// <summary>Free text a person typed: may carry a card number or password by mistake, so it is scrubbed.</summary>
    public static DataClassification UserText { get; } = new(Taxonomy, nameof(UserText));
}

[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SecretDataAttribute() : DataClassificationAttribute(BotDataClassifications.Secret);

[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class CardDataAttribute() : DataClassificationAttribute(BotDataClassifications.CardData);

[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class UserTextAttribute() : DataClassificationAttribute(BotDataClassifications.UserText);
