namespace AriaBot.Understanding;

/// <summary>Configuration section <c>Language:Understanding</c>.</summary>
public sealed class UnderstandingOptions
{
    public const string SectionName = "Language:Understanding";

    /// <summary>
    /// At or above this top-intent probability the bot acts on the intent; below it, it offers the top two as
    /// buttons. 0.45 balances the two errors on the held-out sets (see IntentAccuracyTests output): 8–12 % of
    /// correct readings are asked about, and half to three quarters of the wrong ones are caught.
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.45;

    /// <summary>Below this top probability nothing is suggested at all (the message is not about anything we do).</summary>
    public double SuggestionFloor { get; set; } = 0.15;

    /// <summary>
    /// Catalog matches scoring below this are ignored in free text. 0.4 lets one slightly misspelt word of a
    /// two-word name through ("premum" for "Premium Plus"); a wrong guess costs little, as the dialog shows the
    /// plan it understood before anything changes.
    /// </summary>
    public double CatalogMinimumScore { get; set; } = 0.4;

    /// <summary>Two catalog matches closer than this are ambiguous.</summary>
    public double CatalogAmbiguityMargin { get; set; } = 0.15;
}
