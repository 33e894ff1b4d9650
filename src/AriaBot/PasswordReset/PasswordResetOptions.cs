using System.ComponentModel.DataAnnotations;
using AriaBot.SignIn.VerificationCodes;

namespace AriaBot.PasswordReset;

/// <summary>
/// Section <c>PasswordReset</c>: the one-time code and its page (<see cref="VerificationCodeOptions"/>: LinkLifetime,
/// CodeLifetime, CodeAttempts, CodesWindow, PostsPerIp, PostsPerIpWindow), the limits and the password rules, validated at start.
/// Whether the flow is offered at all is <c>SelfService:Sections:PasswordReset</c>.
/// </summary>
public sealed class PasswordResetOptions : VerificationCodeOptions, IValidatableObject
{
    public const string SectionName = "PasswordReset";

    /// <summary>Codes e-mailed per user id per <see cref="VerificationCodeOptions.CodesWindow"/> (counted whether or not the user id exists). Default 3.</summary>
    [Range(1, 20)]
    public int CodesPerUserId { get; set; } = 3;

    /// <summary>Resets asked for per conversation per <see cref="RequestsWindow"/>. Default 5 per hour.</summary>
    [Range(1, 100)]
    public int RequestsPerConversation { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RequestsWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every answer to the page's post leaves no sooner than this after the post arrived (0 turns it off). Default 400 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MinimumResponseTime { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// For this long after an account's e-mail address was changed through the bot, a code also goes to the previous
    /// address (so that whoever changed it cannot quietly take the account over). Default 14 days; 0 turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00")]
    public TimeSpan PreviousAddressWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The rules a new password must meet; they are listed on the page.</summary>
    public PasswordRules Password { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Data annotations do not look inside nested objects by themselves.
        var nested = new List<ValidationResult>();
        Validator.TryValidateObject(Password, new ValidationContext(Password), nested, validateAllProperties: true);
        foreach (var result in nested)
        {
            yield return new ValidationResult("PasswordReset:Password: " + result.ErrorMessage, [.. result.MemberNames.Select(member => "Password." + member)]);
        }
        if (Password.MinLength > Password.MaxLength)
        {
            yield return new ValidationResult("PasswordReset:Password:MinLength must not be above MaxLength.", ["Password.MinLength"]);
        }
        if (CodeLifetime > LinkLifetime)
        {
            yield return new ValidationResult("PasswordReset:CodeLifetime must not be longer than LinkLifetime (the code is entered through the link).", [nameof(CodeLifetime)]);
        }
    }
}

/// <summary>The password rules (section <c>PasswordReset:Password</c>). Aria may have its own rules on top.</summary>
public sealed class PasswordRules
{
    /// <summary>Default 10.</summary>
    [Range(8, 64)]
    public int MinLength { get; set; } = 10;

    /// <summary>Default 64.</summary>
    [Range(8, 200)]
    public int MaxLength { get; set; } = 64;

    /// <summary>At least one letter and one digit. Default true.</summary>
    public bool RequireLettersAndDigits { get; set; } = true;

    /// <summary>Both upper- and lower-case letters. Default false.</summary>
    public bool RequireMixedCase { get; set; }

    /// <summary>At least one character that is neither a letter nor a digit. Default false.</summary>
    public bool RequireSymbol { get; set; }

    /// <summary>Which rules <paramref name="password"/> breaks (empty when it meets them all).</summary>
    public IReadOnlyList<PasswordRule> Broken(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var broken = new List<PasswordRule>();
        if (password.Length < MinLength || password.Length > MaxLength)
        {
            broken.Add(PasswordRule.Length);
        }
        if (RequireLettersAndDigits && (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)))
        {
            broken.Add(PasswordRule.LettersAndDigits);
        }
        if (RequireMixedCase && (!password.Any(char.IsUpper) || !password.Any(char.IsLower)))
        {
            broken.Add(PasswordRule.MixedCase);
        }
        if (RequireSymbol && password.All(char.IsLetterOrDigit))
        {
            broken.Add(PasswordRule.Symbol);
        }
        return broken;
    }

    /// <summary>The rules in force, in the order the page lists them.</summary>
    public IReadOnlyList<PasswordRule> InForce() =>
    [
        PasswordRule.Length,
        .. RequireLettersAndDigits ? [PasswordRule.LettersAndDigits] : Array.Empty<PasswordRule>(),
        .. RequireMixedCase ? [PasswordRule.MixedCase] : Array.Empty<PasswordRule>(),
        .. RequireSymbol ? [PasswordRule.Symbol] : Array.Empty<PasswordRule>(),
    ];
}

public enum PasswordRule
{
    Length,
    LettersAndDigits,
    MixedCase,
    Symbol,
}
