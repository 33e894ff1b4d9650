using AriaBot.Language;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AriaBot.Understanding;

public static class UnderstandingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IUnderstander"/>: one classifier per locale for the lines of <c>dialogs/**/*.lu</c>, read from
    /// the shipped model (<c>dialogs/Classifier</c>) or, when that does not match the lines, trained while the host
    /// starts (unknown intents, too few examples or contradictory examples stop start-up).
    /// Needs a <see cref="TimeProvider"/>; <see cref="TimeProvider.System"/> is added if none is registered.
    /// </summary>
    public static IServiceCollection AddUnderstanding(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LanguageOptions>().Bind(configuration.GetSection(LanguageOptions.SectionName));
        services.AddOptions<UnderstandingOptions>().Bind(configuration.GetSection(UnderstandingOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => o.Locales.Values.All(l => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(l, new(l), null, validateAllProperties: true)), "A Language:Understanding:Locales entry is out of range.")
            .ValidateOnStart();
        services.AddOptions<LowConfidenceOptions>().Bind(configuration.GetSection(LowConfidenceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LowConfidenceMessages(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<LowConfidenceOptions>>().Value));
        services.AddSingleton(sp => IntentExamples.LoadValidated(sp.GetRequiredService<IOptions<LanguageOptions>>().Value.ResolveDialogsPath()));
        services.AddSingleton<IUnderstander>(sp =>
        {
            var examples = sp.GetRequiredService<IntentExamples>();
            // The shipped models first (issue 22: no training at start-up); the understander then finds them kept.
            ShippedClassifiers.Load(
                examples,
                sp.GetRequiredService<IOptions<LanguageOptions>>().Value.ResolveDialogsPath(),
                sp.GetService<ILoggerFactory>()?.CreateLogger(typeof(ShippedClassifiers).FullName!) ?? NullLogger.Instance);
            return new Understander(
                examples,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<UnderstandingOptions>>().Value,
                sp.GetService<IWords>(),
                sp.GetRequiredService<LowConfidenceMessages>());
        });
        services.AddHostedService<LanguageStartupCheck>();
        return services;
    }

    /// <summary>Words and understanding together: the one call the host needs.</summary>
    public static IServiceCollection AddLanguage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddWords(configuration).AddUnderstanding(configuration);
}
