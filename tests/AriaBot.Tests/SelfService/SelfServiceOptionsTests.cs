using AriaBot.SelfService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AriaBot.Tests.SelfService;

public sealed class SelfServiceOptionsTests
{
    private static SelfServiceOptions Bound(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<SelfServiceOptions>().BindConfiguration(SelfServiceOptions.SectionName)
            .Configure<IConfiguration>(SelfServiceOptions.ReplaceConfiguredLists);
        return services.BuildServiceProvider().GetRequiredService<IOptions<SelfServiceOptions>>().Value;
    }

    [Fact]
    public void Cards_are_accepted_when_nothing_is_configured()
    {
        Assert.Equal([1], Bound([]).AcceptedPaymentMethodTypes);
    }

    [Fact]
    public void A_configured_list_of_payment_method_types_replaces_the_default_rather_than_adding_to_it()
    {
        var options = Bound(new() { ["SelfService:AcceptedPaymentMethodTypes:0"] = "2" });

        Assert.Equal([2], options.AcceptedPaymentMethodTypes);
    }
}
