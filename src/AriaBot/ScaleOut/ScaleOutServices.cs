using BotRuntime.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.ScaleOut;

public static class ScaleOutServices
{
    /// <summary>The assistant's wording of the runtime's scale-out notices.</summary>
    public static IServiceCollection AddScaleOut(this IServiceCollection services)
    {
        services.AddSingleton<IBusyConversationText, BusyConversationText>();
        return services;
    }
}
