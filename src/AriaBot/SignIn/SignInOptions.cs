using Microsoft.Extensions.Options;

namespace AriaBot.SignIn;

/// <summary>
/// Configuration section <c>SignIn</c>: sign-in by link and code and its limits. The same section also holds the
/// binding lifetimes, which are the session layer's (<see cref="Session.SessionBindingOptions"/>).
/// </summary>
public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// The public origin (and path base, if any) the sign-in links point at, e.g. <c>https://bot.example.com</c>.
    /// Required outside Development. In Development, when unset, <c>DirectLine:PublicBaseUrl</c> is used, else the
    /// address the host listens on (http://localhost:3978 with <c>dotnet run</c>).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How long a sign-in link can be opened and used. Default 10 minutes.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long the 6-digit code shown after signing in can be typed in chat. Default 5 minutes.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes allowed before the code is burned and its Aria session ended. Default 3.</summary>
    public int CodeAttempts { get; set; } = 3;

    /// <summary>
    /// Every answer to the sign-in form's post (code, wrong password, unknown user id, limited, refused) is sent no
    /// sooner than this after the post arrived, on the host's clock, so how long Aria took (an existing user id
    /// answers slower than an unknown one) does not show. Set it above how long Aria usually takes to answer
    /// <c>set_session_auth_m</c>; zero turns it off. Default 400 ms.
    /// </summary>
    public TimeSpan MinimumResponseTime { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// How often the abandoned sign-in sweep runs: a customer who signed in on the page but never typed the code
    /// leaves an Aria session nobody can use; once the code has expired the sweep ends it (<c>kill_session_m</c>).
    /// Default 1 minute.
    /// </summary>
    public TimeSpan AbandonedSignInSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public SignInRateLimits RateLimits { get; set; } = new();
}

/// <summary>
/// <c>SignIn:RateLimits</c>. All are counted in the state store, so they hold across instances; the per-user-id limit
/// reserves a slot before Aria is asked, so concurrent attempts cannot all pass one check.
/// </summary>
public sealed class SignInRateLimits
{
    /// <summary>Sign-in form posts per client IP address per <see cref="PostsPerIpWindow"/>. Default 10 per minute.</summary>
    public int PostsPerIp { get; set; } = 10;

    public TimeSpan PostsPerIpWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Sign-in attempts per typed user id per <see cref="FailedSignInsWindow"/>, whether or not the id exists: each
    /// attempt takes a slot before Aria is asked; a success (or an Aria outage) gives it back, a failure keeps it.
    /// Default 5 per 15 minutes.
    /// </summary>
    public int FailedSignInsPerUserId { get; set; } = 5;

    public TimeSpan FailedSignInsWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in links created per conversation per <see cref="LinksWindow"/>. Default 5 per 15 minutes.</summary>
    public int LinksPerConversation { get; set; } = 5;

    public TimeSpan LinksWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Codes typed per conversation per <see cref="CodeEntriesWindow"/> (across links). Default 10 per 15 minutes.</summary>
    public int CodeEntriesPerConversation { get; set; } = 10;

    public TimeSpan CodeEntriesWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Checks <see cref="SignInOptions"/> at start-up; the host refuses to start with a value that makes no sense.</summary>
internal sealed class SignInOptionsValidator(IHostEnvironment environment) : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = [];
        if (options.PublicBaseUrl is { } baseUrl)
        {
            if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
            {
                problems.Add("SignIn:PublicBaseUrl must be an absolute http(s) URL without query or fragment, e.g. https://bot.example.com.");
            }
            else if (!environment.IsDevelopment() && baseUrl.Scheme != "https")
            {
                problems.Add("SignIn:PublicBaseUrl must use https outside Development: the sign-in page takes passwords.");
            }
        }
        else if (!environment.IsDevelopment())
        {
            problems.Add("SignIn:PublicBaseUrl is required outside Development: sign-in links must point at the bot's public address.");
        }

        Range(problems, "LinkLifetime", options.LinkLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        Range(problems, "CodeLifetime", options.CodeLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        if (options.CodeAttempts is < 1 or > 10)
        {
            problems.Add("SignIn:CodeAttempts must be between 1 and 10.");
        }
        Range(problems, "MinimumResponseTime", options.MinimumResponseTime, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Range(problems, "AbandonedSignInSweepInterval", options.AbandonedSignInSweepInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30));

        var limits = options.RateLimits;
        if (limits is null)
        {
            problems.Add("SignIn:RateLimits must not be null.");
        }
        else
        {
            Count(problems, "RateLimits:PostsPerIp", limits.PostsPerIp);
            Range(problems, "RateLimits:PostsPerIpWindow", limits.PostsPerIpWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
            Count(problems, "RateLimits:FailedSignInsPerUserId", limits.FailedSignInsPerUserId);
            Range(problems, "RateLimits:FailedSignInsWindow", limits.FailedSignInsWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
            Count(problems, "RateLimits:LinksPerConversation", limits.LinksPerConversation);
            Range(problems, "RateLimits:LinksWindow", limits.LinksWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
            Count(problems, "RateLimits:CodeEntriesPerConversation", limits.CodeEntriesPerConversation);
            Range(problems, "RateLimits:CodeEntriesWindow", limits.CodeEntriesWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Range(List<string> problems, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            problems.Add($"SignIn:{name} must be between {min} and {max} (it is {value}).");
        }
    }

    private static void Count(List<string> problems, string name, int value)
    {
        if (value is < 1 or > 100_000)
        {
            problems.Add($"SignIn:{name} must be between 1 and 100000 (it is {value}).");
        }
    }
}
