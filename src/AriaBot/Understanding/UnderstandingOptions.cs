using System.ComponentModel.DataAnnotations;

namespace AriaBot.Understanding;

/// <summary>Configuration section <c>Language:Understanding</c>.</summary>
public sealed class UnderstandingOptions
{
    public const string SectionName = "Language:Understanding";

    /// <summary>
    /// At or above this top-intent probability the bot acts on the intent; below it, it offers the top two as
    /// buttons. 0.65 is the lowest threshold at which at most 5 % of off-topic training lines scored out of fold
    /// would be acted on in both locales (en-US alone would allow 0.6, es-ES needs 0.65; OpenSetSelectionTests),
    /// chosen with the classifier settings and the off-topic thresholds below. One value for both, so that an
    /// operator who sets it sets it everywhere.
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.65;

    /// <summary>Below this top probability nothing is suggested at all (the message is not about anything we do).</summary>
    public double SuggestionFloor { get; set; } = 0.15;

    /// <summary>
    /// Open-set rule (<see cref="OpenSet"/>): the off-topic class outranking every intent makes a message off-topic
    /// only from this probability on; below it the message gets "did you mean" as before. 0.6 was chosen by
    /// cross-validation on the training lines (OpenSetSelectionTests): with 350 off-topic lines in en-US the class
    /// wins often, and a weak win is more often a short on-topic line than an off-topic one.
    /// </summary>
    [Range(0.0, 1.0)]
    public double OffTopicMinimum { get; set; } = 0.6;

    /// <summary>
    /// Open-set rule (<see cref="OpenSet"/>): when no intent is confident, the best two are closer than this, and
    /// the off-topic class reaches <see cref="OffTopicContender"/>, the message is off-topic rather than a
    /// "did you mean". 0 (the default) turns this part of the rule off: cross-validation on the training lines found
    /// that it rejected more on-topic lines than it caught off-topic ones once the off-topic class had more lines.
    /// </summary>
    [Range(0.0, 1.0)]
    public double OffTopicMargin { get; set; }

    /// <summary>See <see cref="OffTopicMargin"/>.</summary>
    [Range(0.0, 1.0)]
    public double OffTopicContender { get; set; } = 0.2;

    /// <summary>
    /// Catalog matches scoring below this are ignored in free text. 0.4 lets one slightly misspelt word of a
    /// two-word name through ("premum" for "Premium Plus"); a wrong guess costs little, as the dialog shows the
    /// plan it understood before anything changes.
    /// </summary>
    public double CatalogMinimumScore { get; set; } = 0.4;

    /// <summary>Two catalog matches closer than this are ambiguous.</summary>
    public double CatalogAmbiguityMargin { get; set; } = 0.15;

    /// <summary>
    /// Temperature scaling of the classifier's scores (softmax of logits / T): above 1 softens over-confident
    /// scores, below 1 sharpens timid ones. 1 (the default) leaves them as trained; a locale's fitted value goes in
    /// <see cref="Locales"/> (CalibrationTests fits it on a calibration split of the training lines and prints it).
    /// </summary>
    [Range(0.05, 20.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>
    /// Per-locale overrides of the temperature and thresholds (<c>Locales:es-ES:ConfidenceThreshold</c>…); a setting
    /// given in configuration replaces only itself. Default: none (cross-validation chose the same values for both
    /// locales but the act threshold, which is the stricter of the two for both).
    /// </summary>
    public Dictionary<string, LocaleUnderstandingOptions> Locales { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings in force for <paramref name="locale"/>: its overrides over the values above.</summary>
    public UnderstandingOptions For(string locale)
    {
        var own = Locales.FirstOrDefault(l => string.Equals(l.Key, locale, StringComparison.OrdinalIgnoreCase)).Value;
        if (own is null)
        {
            return this;
        }

        return new UnderstandingOptions
        {
            ConfidenceThreshold = own.ConfidenceThreshold ?? ConfidenceThreshold,
            SuggestionFloor = own.SuggestionFloor ?? SuggestionFloor,
            OffTopicMinimum = own.OffTopicMinimum ?? OffTopicMinimum,
            OffTopicMargin = own.OffTopicMargin ?? OffTopicMargin,
            OffTopicContender = own.OffTopicContender ?? OffTopicContender,
            CatalogMinimumScore = CatalogMinimumScore,
            CatalogAmbiguityMargin = CatalogAmbiguityMargin,
            Temperature = own.Temperature ?? Temperature,
        };
    }
}
