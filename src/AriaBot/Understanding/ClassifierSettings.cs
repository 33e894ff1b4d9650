namespace AriaBot.Understanding;

/// <summary>
/// How <see cref="IntentClassifier"/> learns: passes over the training lines, step size, L2 regularisation, and the
/// weight of word pairs and character n-grams beside single words (each group is normalised on its own, then
/// weighted). <see cref="Default"/> was chosen by five-fold cross-validation on the training lines only — never the
/// held-out set (ClassifierSelectionTests prints the grid; the Understanding README has the numbers).
/// </summary>
internal sealed record ClassifierSettings(int Epochs, double LearningRate, double L2, double PairWeight, double CharWeight)
{
    /// <summary>The settings before issue 23's cross-validation (kept to compare against).</summary>
    public static ClassifierSettings Previous { get; } = new(Epochs: 15, LearningRate: 0.5, L2: 1e-4, PairWeight: 0.8, CharWeight: 1.0);

    /// <summary>
    /// Lighter L2, word pairs weighed less and character n-grams more: the best out-of-fold weighted accuracy among
    /// the 15-pass settings (OpenSetSelectionTests), chosen together with the thresholds in UnderstandingOptions.
    /// 30 passes did no better out of fold and would double the training time at start-up.
    /// </summary>
    public static ClassifierSettings Default { get; } = new(Epochs: 15, LearningRate: 0.5, L2: 1e-5, PairWeight: 0.6, CharWeight: 1.3);
}
