using AriaBot.Language;
using AriaBot.Understanding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AriaBot.Tests.Understanding;

public sealed class UnderstandingServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddLanguage_trains_at_start_and_reads_options()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Language:Understanding:ConfidenceThreshold"] = "0.999" });
        builder.Services.AddLanguage(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();

        var result = host.Services.GetRequiredService<IUnderstander>().Understand("quiero ver mis pedidos", "es-ES");
        Assert.Equal(Intent.ViewOrders, result.Intent);
        Assert.False(result.IsConfident);
        Assert.NotNull(host.Services.GetRequiredService<IWords>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_up_fails_when_an_intent_has_no_examples()
    {
        var root = Directory.CreateTempSubdirectory("lu-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "Intents"));
            File.WriteAllText(Path.Combine(root, "Intents", "Intents.en-US.lu"), "# Greeting\n- hi");
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Language:DialogsPath"] = root });
            builder.Services.AddUnderstanding(builder.Configuration);
            using var host = builder.Build();
            var ex = await Assert.ThrowsAsync<LanguageValidationException>(() => host.StartAsync());
            Assert.Contains("SwitchPlan has 0 example(s)", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
