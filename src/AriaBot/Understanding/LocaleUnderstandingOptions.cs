using System.ComponentModel.DataAnnotations;

namespace AriaBot.Understanding;

/// <summary>
/// One locale's settings (<c>Language:Understanding:Locales:&lt;locale&gt;</c>); each one left out is the value of
/// <see cref="UnderstandingOptions"/> itself. Models trained on different lines are not equally sure of themselves,
/// so the temperature and the act / ask / reject thresholds are chosen per locale (see the Understanding README).
/// </summary>
public sealed class LocaleUnderstandingOptions
{
    /// <inheritdoc cref="UnderstandingOptions.Temperature"/>
    [Range(0.05, 20.0)]
    public double? Temperature { get; set; }

    /// <inheritdoc cref="UnderstandingOptions.ConfidenceThreshold"/>
    [Range(0.0, 1.0)]
    public double? ConfidenceThreshold { get; set; }

    /// <inheritdoc cref="UnderstandingOptions.SuggestionFloor"/>
    [Range(0.0, 1.0)]
    public double? SuggestionFloor { get; set; }

    /// <inheritdoc cref="UnderstandingOptions.OffTopicMinimum"/>
    [Range(0.0, 1.0)]
    public double? OffTopicMinimum { get; set; }

    /// <inheritdoc cref="UnderstandingOptions.OffTopicMargin"/>
    [Range(0.0, 1.0)]
    public double? OffTopicMargin { get; set; }

    /// <inheritdoc cref="UnderstandingOptions.OffTopicContender"/>
    [Range(0.0, 1.0)]
    public double? OffTopicContender { get; set; }
}
