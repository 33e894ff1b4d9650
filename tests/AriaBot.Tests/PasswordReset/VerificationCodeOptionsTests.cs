using System.ComponentModel.DataAnnotations;
using AriaBot.Account.EmailChange;
using AriaBot.PasswordReset;
using AriaBot.SignIn.VerificationCodes;
using Microsoft.Extensions.Configuration;

namespace AriaBot.Tests.PasswordReset;

/// <summary>
/// <see cref="VerificationCodeOptions"/> is shared by two sections that existed before it: each must still read the
/// keys operators already set, at the top level of its own section, with the documented defaults and ranges.
/// </summary>
public sealed class VerificationCodeOptionsTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["PasswordReset:LinkLifetime"] = "00:20:00",
        ["PasswordReset:CodeLifetime"] = "00:05:00",
        ["PasswordReset:CodeAttempts"] = "3",
        ["PasswordReset:CodesPerUserId"] = "2",
        ["PasswordReset:CodesWindow"] = "06:00:00",
        ["PasswordReset:PostsPerIp"] = "7",
        ["PasswordReset:PostsPerIpWindow"] = "00:02:00",
        ["AccountEmailChange:LinkLifetime"] = "00:40:00",
        ["AccountEmailChange:CodeLifetime"] = "00:10:00",
        ["AccountEmailChange:CodeAttempts"] = "4",
        ["AccountEmailChange:CodesPerAccount"] = "6",
        ["AccountEmailChange:CodesWindow"] = "12:00:00",
        ["AccountEmailChange:PostsPerIp"] = "9",
        ["AccountEmailChange:PostsPerIpWindow"] = "00:03:00",
    };

    [Fact]
    public void Both_sections_bind_the_shared_keys_they_always_had_each_to_its_own_values()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();

        var reset = configuration.GetSection(PasswordResetOptions.SectionName).Get<PasswordResetOptions>()!;
        var change = configuration.GetSection(EmailChangeOptions.SectionName).Get<EmailChangeOptions>()!;

        Assert.Equal((TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(5), 3, 2, TimeSpan.FromHours(6), 7, TimeSpan.FromMinutes(2)),
            (reset.LinkLifetime, reset.CodeLifetime, reset.CodeAttempts, reset.CodesPerUserId, reset.CodesWindow, reset.PostsPerIp, reset.PostsPerIpWindow));
        Assert.Equal((TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(10), 4, 6, TimeSpan.FromHours(12), 9, TimeSpan.FromMinutes(3)),
            (change.LinkLifetime, change.CodeLifetime, change.CodeAttempts, change.CodesPerAccount, change.CodesWindow, change.PostsPerIp, change.PostsPerIpWindow));
    }

    [Fact]
    public void The_defaults_are_the_documented_ones_in_both_sections()
    {
        VerificationCodeOptions[] both = [new PasswordResetOptions(), new EmailChangeOptions()];
        Assert.All(both, options =>
        {
            Assert.Equal(TimeSpan.FromMinutes(30), options.LinkLifetime);
            Assert.Equal(TimeSpan.FromMinutes(15), options.CodeLifetime);
            Assert.Equal(5, options.CodeAttempts);
            Assert.Equal(TimeSpan.FromDays(1), options.CodesWindow);
            Assert.Equal(10, options.PostsPerIp);
            Assert.Equal(TimeSpan.FromMinutes(1), options.PostsPerIpWindow);
        });
        Assert.Equal(3, new PasswordResetOptions().CodesPerUserId);
        Assert.Equal(3, new EmailChangeOptions().CodesPerAccount);
    }

    [Fact]
    public void The_shared_ranges_are_checked_in_the_e_mail_change_section_too()
    {
        var options = new EmailChangeOptions { CodeAttempts = 0, PostsPerIpWindow = TimeSpan.Zero };
        var problems = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true));
        Assert.Equal([nameof(VerificationCodeOptions.CodeAttempts), nameof(VerificationCodeOptions.PostsPerIpWindow)], problems.SelectMany(p => p.MemberNames).Order(StringComparer.Ordinal));
    }
}
