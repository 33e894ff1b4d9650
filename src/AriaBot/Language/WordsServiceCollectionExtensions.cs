using System.Reflection;
using Microsoft.Extensions.Options;

namespace AriaBot.Language;

public static class WordsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWords"/> over <c>dialogs/**/*.lg</c>, checked at start-up against every
    /// <see cref="WordKey"/> declared in <paramref name="keyAssemblies"/> (default: AriaBot). A missing key,
    /// placeholder mismatch or stale key makes the host fail to start, listing each file and line.
    /// </summary>
    public static IServiceCollection AddWords(this IServiceCollection services, IConfiguration configuration, params Assembly[] keyAssemblies)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LanguageOptions>().Bind(configuration.GetSection(LanguageOptions.SectionName));
        var assemblies = keyAssemblies.Length > 0 ? keyAssemblies : [typeof(WordKey).Assembly];
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LanguageOptions>>().Value;
            var keys = WordKeyDiscovery.FindAll(assemblies, out var declarationProblems);
            if (declarationProblems.Count > 0)
            {
                throw new LanguageValidationException(declarationProblems.Select(p => new LanguageProblem("code", 0, p)).ToList());
            }

            return WordsCatalog.LoadValidated(options.ResolveDialogsPath(), keys);
        });
        services.AddSingleton<IWords>(sp => new Words(
            sp.GetRequiredService<WordsCatalog>(),
            sp.GetRequiredService<IOptions<LanguageOptions>>().Value.VaryWordings ? Random.Shared : null));
        services.AddHostedService<LanguageStartupCheck>();
        return services;
    }
}

/// <summary>
/// Builds the language services while the host starts, so broken words or utterances stop start-up instead of
/// failing the first customer's turn. Registered once however many Add* calls reach it.
/// </summary>
internal sealed class LanguageStartupCheck(IServiceProvider services) : IHostedService
{
    private static readonly Type[] Checked = [typeof(IWords)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var type in Checked)
        {
            // GetService, not GetRequiredService: AddWords may be used without AddUnderstanding.
            _ = services.GetService(type);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
