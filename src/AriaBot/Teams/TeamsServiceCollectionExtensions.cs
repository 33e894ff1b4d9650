using BotRuntime.Teams;

namespace AriaBot.Teams;

public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// Teams: the runtime's part (mention, invokes, card fallback, <c>Teams</c> options) and the assistant's guard.
    /// Called right after the runtime is added, so both run before the session and privacy middleware.
    /// </summary>
    public static IServiceCollection AddTeamsChannel(this IServiceCollection services)
    {
        services.AddTeams();
        services.AddSingleton<BotRuntime.Builder.IMiddleware, TeamsGuardMiddleware>();
        return services;
    }
}
