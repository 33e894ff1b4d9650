using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>Sign-in, sessions and credentials.</summary>
internal static class SessionCalls
{
    public static JsonObject SetSessionAuth(CallContext ctx)
    {
        var userId = ctx.Input.NonEmpty("user_id") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: user_id");
        var password = ctx.Input.Str("password") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: password");
        var account = ctx.State.Accounts.FirstOrDefault(a => string.Equals(a.UserId, userId, StringComparison.OrdinalIgnoreCase))
            ?? throw new AriaFault(AriaCodes.AccountNotFound, "account does not exist (Userid)");
        ctx.AcctNo = account.AcctNo;
        if (!SandboxState.Verify(password, account.PasswordSalt, account.PasswordHash))
        {
            // Placeholder code: Aria's code for a wrong password is undocumented (unverified against Aria).
            throw new AriaFault(AriaCodes.LoginFailed, "invalid user id or password");
        }

        return CallContext.Ok().Put("session_id", NewSession(ctx, account, null));
    }

    public static JsonObject SetSession(CallContext ctx)
    {
        // set_session_m trusts the caller: no password is checked.
        var account = ctx.Account(allowUserId: true);
        return CallContext.Ok().Put("session_id", NewSession(ctx, account, ctx.Input.NonEmpty("client_session_id")));
    }

    public static JsonObject ValidateSession(CallContext ctx)
    {
        var session = LiveSession(ctx);
        ctx.AcctNo = session.AcctNo;
        return CallContext.Ok()
            .Put("user_id", session.UserId)
            .Put("account_no", session.AcctNo);
    }

    public static JsonObject KeepAlive(CallContext ctx)
    {
        var session = LiveSession(ctx);
        ctx.AcctNo = session.AcctNo;
        // Aria "increases the valid session's expiry time by the client's minutes": added to the
        // current expiry, not to now (taken literally from the Swagger; unverified against Aria).
        session.ExpiresAt = session.ExpiresAt.AddMinutes(ctx.Client.SessionMinutes);
        return CallContext.Ok();
    }

    public static JsonObject KillSession(CallContext ctx)
    {
        var session = LiveSession(ctx);
        ctx.AcctNo = session.AcctNo;
        session.Killed = true;
        return CallContext.Ok();
    }

    public static JsonObject GetAcctNoFromUserId(CallContext ctx)
    {
        var userId = ctx.Input.NonEmpty("user_id") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: user_id");
        var account = ctx.State.Accounts.FirstOrDefault(a => string.Equals(a.UserId, userId, StringComparison.OrdinalIgnoreCase))
            ?? throw new AriaFault(AriaCodes.AccountNotFound, "account does not exist (Userid)");
        ctx.AcctNo = account.AcctNo;
        return CallContext.Ok().Put("acct_no", account.AcctNo);
    }

    public static JsonObject UpdateAcctCredentials(CallContext ctx)
    {
        var account = ctx.Account("account_no");
        var password = ctx.Input.Str("password");
        var question = ctx.Input.Str("secret_question");
        var answer = ctx.Input.Str("secret_question_answer");
        if (password is not null && password.Length < 8)
        {
            // The sandbox's own password rule (Aria's is client-configured; unverified against Aria).
            throw new AriaFault(AriaCodes.InvalidInput, "invalid input: password must have at least 8 characters");
        }

        if (password is not null)
        {
            (account.PasswordSalt, account.PasswordHash) = SandboxState.NewHash(password);
        }

        if (question is not null)
        {
            account.SecretQuestion = question;
        }

        if (answer is not null)
        {
            account.SecretAnswerHash = SandboxState.Hash(answer, account.PasswordSalt);
        }

        return CallContext.Ok();
    }

    private static string NewSession(CallContext ctx, Account account, string? clientSessionId)
    {
        var session = new Session
        {
            SessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            AcctNo = account.AcctNo,
            UserId = account.UserId,
            ExpiresAt = ctx.Now.AddMinutes(ctx.Client.SessionMinutes),
            ClientSessionId = clientSessionId,
        };
        ctx.State.Sessions.Add(session);
        return session.SessionId;
    }

    private static Session LiveSession(CallContext ctx)
    {
        var id = ctx.Input.NonEmpty("session_id") ?? throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: session_id");
        var session = ctx.State.Sessions.FirstOrDefault(s => s.SessionId == id);
        if (session is null || session.Killed || session.ExpiresAt <= ctx.Now)
        {
            throw new AriaFault(AriaCodes.InvalidSession, "invalid session");
        }

        return session;
    }
}
