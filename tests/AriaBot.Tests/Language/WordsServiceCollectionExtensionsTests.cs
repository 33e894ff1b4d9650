using AriaBot.Language;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AriaBot.Tests.Language;

public sealed class WordsServiceCollectionExtensionsTests
{
    private static IHost BuildHost(string? dialogsPath)
    {
        var builder = Host.CreateApplicationBuilder();
        if (dialogsPath is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Language:DialogsPath"] = dialogsPath });
        }

        builder.Services.AddWords(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task The_host_starts_with_the_shipped_words()
    {
        using var host = BuildHost(null);
        await host.StartAsync();
        var words = host.Services.GetRequiredService<IWords>();
        Assert.Equal("Sí", words.Format(CommonWords.Yes, "es"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_up_fails_when_words_are_incomplete()
    {
        var root = Directory.CreateTempSubdirectory("words-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "Common"));
            File.WriteAllText(Path.Combine(root, "Common", "Common.en-US.lg"), "# common.yes\n- Yes");
            using var host = BuildHost(root);
            var ex = await Assert.ThrowsAsync<LanguageValidationException>(() => host.StartAsync());
            Assert.Contains("'common.didYouMean' is missing", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
