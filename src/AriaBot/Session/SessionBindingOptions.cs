using Microsoft.Extensions.Options;

namespace AriaBot.Session;

/// <summary>
/// How long a binding is kept server-side. The keys stay in the <c>SignIn</c> section, where they were before the
/// session layer had options of its own, so that deployed configuration keeps its meaning.
/// </summary>
public sealed class SessionBindingOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// How long a binding is kept server-side after the customer's last turn (sliding: every turn of the signed-in
    /// customer renews it, up to <see cref="AbsoluteBindingLifetime"/>). Aria decides when the session itself expires
    /// (checked on every turn); this only bounds how long a dead binding can linger. Default 12 hours.
    /// </summary>
    public TimeSpan BindingLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The most a binding can live after it was made, however active the customer is: every turn of a signed-in
    /// customer renews the binding for <see cref="BindingLifetime"/> (sliding), up to this bound, after which the
    /// customer signs in again. At least <see cref="BindingLifetime"/>. Default 24 hours.
    /// </summary>
    public TimeSpan AbsoluteBindingLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Azure mode: how long a session the portal registered for a <c>dl_</c> user waits for that user's first turn.
    /// Default 30 minutes (a Direct Line token's lifetime).
    /// </summary>
    public TimeSpan PortalBindingLifetime { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>Checks <see cref="SessionBindingOptions"/> at start-up; the host refuses to start with a value that makes no sense.</summary>
internal sealed class SessionBindingOptionsValidator : IValidateOptions<SessionBindingOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionBindingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = [];
        Range(problems, "BindingLifetime", options.BindingLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
        Range(problems, "AbsoluteBindingLifetime", options.AbsoluteBindingLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(90));
        if (options.AbsoluteBindingLifetime < options.BindingLifetime)
        {
            problems.Add("SignIn:AbsoluteBindingLifetime must be at least SignIn:BindingLifetime (the sliding lifetime cannot outgrow its bound).");
        }
        Range(problems, "PortalBindingLifetime", options.PortalBindingLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Range(List<string> problems, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{SessionBindingOptions.SectionName}:{name} must be between {min} and {max} (it is {value}).");
        }
    }
}
