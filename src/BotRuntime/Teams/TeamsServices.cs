using BotRuntime.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace BotRuntime.Teams;

public static class TeamsServices
{
    /// <summary>
    /// Teams support: its options (<c>Teams</c> section) and <see cref="TeamsMiddleware"/>. Call it right after the
    /// runtime is added, before other middleware, so they see the activity with the bot's mention removed.
    /// </summary>
    public static IServiceCollection AddTeams(this IServiceCollection services)
    {
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMiddleware, TeamsMiddleware>();
        services.AddSingleton<TeamsPrivateChat>();
        return services;
    }
}
