using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aria.Client;
using Aria.Client.Models;
using AriaBot.Tests.Account.EmailChange;
using AriaBot.Tests.PasswordReset;
using AriaBot.Tests.Payments;
using BotRuntime.State;
using Microsoft.Extensions.DependencyInjection;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// The password reset and the account e-mail change now run on one verification-code flow
/// (<c>SignIn/VerificationCodes</c>). Links, codes and pending markers written by the build before it must still be
/// honoured after an upgrade: these tests store them as that build wrote them — literal JSON, the code hashed the way it
/// hashed it — and complete each flow with the new code, checking that what is written back keeps the same shape.
/// </summary>
public sealed class VerificationCodeUpgradeTests
{
    private const string Code = "27182818";
    private const string NewPassword = "Fresh-start-2026";

    [Fact]
    public async Task A_password_reset_stored_by_the_previous_build_is_completed_by_this_one()
    {
        await using var reset = new ResetHarness();
        var chat = reset.Host.Conversation();
        // The chat waits on a reset; its link, code and marker are then replaced by ones in the previous build's shape.
        await reset.AskAsync(chat, "alice");
        await reset.DrainOutboxAsync();
        var storage = reset.Host.Storage;
        var pending = Assert.Single(await storage.ReadPrefixAsync("reset/pending/", 10)).Key;
        var made = Assert.Single(await storage.ReadPrefixAsync("reset/links/", 10)).Value.Document;
        var now = reset.Host.Time.GetUtcNow();
        var (state, linkHash) = NewState();
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await WriteRawAsync(storage, "reset/links/" + linkHash, $$"""
            {"linkId":"0badc0de0badc0de",{{Who(made)}},"locale":"en-US","expiresAt":"{{Iso(now.AddMinutes(30))}}","status":"Waiting"}
            """, now.AddDays(1));
        await WriteRawAsync(storage, "reset/codes/" + linkHash, $$"""
            {"accountNo":1000001,"salt":"{{salt}}","hash":"{{OldHash(salt, Code)}}","expiresAt":"{{Iso(now.AddMinutes(15))}}","wrongAttempts":0,"locked":false,"used":false}
            """, now.AddDays(1));
        await WriteRawAsync(storage, pending, $$"""{"linkHash":"{{linkHash}}"}""", now.AddDays(1));

        var browser = reset.Host.NewBrowser();
        var form = await AssistantTestHost.GetAsync(browser, new Uri("http://localhost/password-reset?state=" + state));
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var wrong = await ResetHarness.PostAsync(browser, form, "00000000", NewPassword);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Contains("You have 4 tries left.", wrong.Text, StringComparison.Ordinal);
        // The try is counted on the record, written back with exactly the properties it had.
        var counted = await ReadRawAsync(storage, "reset/codes/" + linkHash);
        Assert.Equal(["accountNo", "expiresAt", "hash", "locked", "salt", "used", "wrongAttempts"], Names(counted));
        Assert.Equal(1, counted.GetProperty("wrongAttempts").GetInt32());

        var changed = await ResetHarness.PostAsync(browser, form, "2718-2818", NewPassword);
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Contains("Your password has been changed.", changed.Text, StringComparison.Ordinal);
        var aria = reset.Host.Services.GetRequiredService<IAriaClient>();
        Assert.True((await aria.SetSessionAuthAsync(new SetSessionAuthMRequest { UserId = "alice", Password = NewPassword })).IsSuccess);
        var completed = await ReadRawAsync(storage, "reset/links/" + linkHash);
        Assert.Equal(["channelId", "chatUserId", "conversationId", "expiresAt", "ingress", "linkId", "locale", "status"], Names(completed));
        Assert.Equal("Completed", completed.GetProperty("status").GetString());
        Assert.True((await ReadRawAsync(storage, "reset/codes/" + linkHash)).GetProperty("used").GetBoolean());

        // The chat that waited reads the marker the previous build wrote and offers the sign-in.
        var next = await chat.SayAsync("done");
        Assert.StartsWith("Your password has been changed", AssistantConversation.Texts(next)[0], StringComparison.Ordinal);
        Assert.DoesNotContain(Code, await reset.EverythingStoredAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, await reset.EverythingStoredAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_change_stored_by_the_previous_build_is_verified_and_written_once_by_this_one()
    {
        await using var change = await EmailChangeHarness.StartAsync();
        // The chat waits on the change; its link and marker are then replaced by ones in the previous build's shape.
        await change.AskAndSendAsync();
        await change.Mail.DrainOutboxAsync();
        var storage = change.Host.Storage;
        var pending = Assert.Single(await storage.ReadPrefixAsync("emailchange/pending/", 10)).Key;
        var made = Assert.Single(await storage.ReadPrefixAsync("emailchange/links/", 10)).Value.Document;
        var reference = made.TryGetProperty("reference", out var value) ? ",\"reference\":" + value.GetRawText() : string.Empty;
        var now = change.Host.Time.GetUtcNow();
        var (state, linkHash) = NewState();
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await WriteRawAsync(storage, "emailchange/links/" + linkHash, $$"""
            {"linkId":"0badc0de0badc0de",{{Who(made)}},"locale":"en-US","accountNo":1000002,"oldAddress":"bob@example.com","newAddress":"bob.new@example.net","expiresAt":"{{Iso(now.AddMinutes(30))}}"{{reference}},"status":"Waiting","codeSalt":"{{salt}}","codeHash":"{{OldHash(salt, Code)}}","codeExpiresAt":"{{Iso(now.AddMinutes(15))}}","wrongAttempts":0}
            """, now.AddDays(1));
        var written = Names(await ReadRawAsync(storage, "emailchange/links/" + linkHash));
        await WriteRawAsync(storage, pending, $$"""{"linkHash":"{{linkHash}}"}""", now.AddDays(1));

        var browser = change.Host.NewBrowser();
        var link = new Uri("http://localhost/email-change?state=" + state);
        var form = await AssistantTestHost.GetAsync(browser, link);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var wrong = await EmailChangeHarness.PostCodeAsync(browser, form, "00000000");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Contains("You have 4 tries left.", wrong.Text, StringComparison.Ordinal);
        var counted = await ReadRawAsync(storage, "emailchange/links/" + linkHash);
        Assert.Equal(written, Names(counted));
        Assert.Equal(1, counted.GetProperty("wrongAttempts").GetInt32());

        var verified = await EmailChangeHarness.PostCodeAsync(browser, form, Code);
        Assert.Equal(HttpStatusCode.OK, verified.Status);
        Assert.Contains("Address confirmed", verified.Text, StringComparison.Ordinal);
        // Verified as the previous build marked it: the status, and the code's hash gone.
        var marked = await ReadRawAsync(storage, "emailchange/links/" + linkHash);
        Assert.Equal("Verified", marked.GetProperty("status").GetString());
        Assert.Equal(written.Except(["codeHash", "codeSalt"]), Names(marked));
        Assert.Equal(0, change.Writes);

        var card = PaymentText.Of(await change.Chat.SayAsync("continue"));
        Assert.Contains("bob@example.com → bob.new@example.net", card, StringComparison.Ordinal);
        var done = await change.Chat.ClickAsync("Confirm");
        Assert.Contains("Done! Account contact: E-mail is now bob.new@example.net.", PaymentText.Of(done), StringComparison.Ordinal);
        Assert.Equal(1, change.Writes);
        Assert.Equal(EmailChangeHarness.New, change.Bobs.AccountContact.Email);
        Assert.Equal(HttpStatusCode.Gone, (await AssistantTestHost.GetAsync(change.Host.NewBrowser(), link)).Status);
        Assert.DoesNotContain(Code, await change.Mail.EverythingStoredAsync(), StringComparison.Ordinal);
    }

    /// <summary>A link's state as links carry it (32 random bytes, base64url) and the hex SHA-256 that names its records.</summary>
    private static (string State, string Hash) NewState()
    {
        var state = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (state, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state))));
    }

    /// <summary>How the previous build hashed a code: hex SHA-256 of "salt:digits".</summary>
    private static string OldHash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + ":" + code)));

    /// <summary>The chat user the link was made for (channel, conversation, user, ingress), copied from the link this build made.</summary>
    private static string Who(JsonElement made) => string.Join(',', new[] { "channelId", "conversationId", "chatUserId", "ingress" }
        .Select(name => $"\"{name}\":{made.GetProperty(name).GetRawText()}"));

    private static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Writes the JSON as it is (kept long enough: the records' own expiry is what the flows check).</summary>
    private static Task WriteRawAsync(IStorage storage, string key, string json, DateTimeOffset keepUntil)
    {
        using var document = JsonDocument.Parse(json);
        return storage.WriteAsync(new Dictionary<string, StoreWrite> { [key] = new(document.RootElement.Clone(), StoreWrite.AnyETag, keepUntil) }, CancellationToken.None);
    }

    private static async Task<JsonElement> ReadRawAsync(IStorage storage, string key) =>
        (await storage.ReadAsync([key], CancellationToken.None)).TryGetValue(key, out var item) ? item.Document : throw new Xunit.Sdk.XunitException($"{key} is not stored");

    private static List<string> Names(JsonElement document) => [.. document.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)];
}
