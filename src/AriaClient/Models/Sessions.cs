using System.Text.Json.Serialization;

namespace Aria.Client.Models;

/// <summary><c>set_session_auth_m</c>: signs a user in with user id and password.</summary>
public sealed class SetSessionAuthMRequest() : AriaRequest("set_session_auth_m")
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("alt_caller_id")]
    public string? AltCallerId { get; set; }

    [JsonPropertyName("application_id")]
    public string? ApplicationId { get; set; }

    [JsonPropertyName("application_date")]
    public string? ApplicationDate { get; set; }
}

public sealed class SetSessionAuthMResponse : AriaResponse
{
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }
}

/// <summary><c>set_session_m</c>: opens a session for an identity the caller already trusts; no password.</summary>
public sealed class SetSessionMRequest() : AriaRequest("set_session_m")
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }

    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }

    [JsonPropertyName("client_session_id")]
    public string? ClientSessionId { get; set; }

    [JsonPropertyName("alt_caller_id")]
    public string? AltCallerId { get; set; }

    [JsonPropertyName("application_id")]
    public string? ApplicationId { get; set; }

    [JsonPropertyName("application_date")]
    public string? ApplicationDate { get; set; }
}

public sealed class SetSessionMResponse : AriaResponse
{
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }
}

/// <summary><c>validate_session_m</c>: the per-turn session check.</summary>
public sealed class ValidateSessionMRequest() : AriaRequest("validate_session_m")
{
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }
}

/// <summary>Note Aria's spelling: the account comes back as <c>account_no</c>, not <c>acct_no</c>.</summary>
public sealed class ValidateSessionMResponse : AriaResponse
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }

    [JsonPropertyName("account_no")]
    public long? AccountNo { get; set; }

    [JsonPropertyName("alt_caller_id")]
    public string? AltCallerId { get; set; }

    [JsonPropertyName("application_id")]
    public string? ApplicationId { get; set; }

    [JsonPropertyName("application_date")]
    public string? ApplicationDate { get; set; }
}

/// <summary><c>keep_alive_m</c>: extends a valid session by the client's configured minutes.</summary>
public sealed class KeepAliveMRequest() : AriaRequest("keep_alive_m")
{
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }
}

public sealed class KeepAliveMResponse : AriaResponse;

/// <summary><c>kill_session_m</c>: ends a session.</summary>
public sealed class KillSessionMRequest() : AriaRequest("kill_session_m")
{
    [JsonPropertyName("session_id")]
    public string? SessionId { get; set; }
}

public sealed class KillSessionMResponse : AriaResponse;

/// <summary><c>get_acct_no_from_user_id_m</c>: resolves a login to an account number.</summary>
public sealed class GetAcctNoFromUserIdMRequest() : AriaRequest("get_acct_no_from_user_id_m")
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; set; }
}

public sealed class GetAcctNoFromUserIdMResponse : AriaResponse
{
    [JsonPropertyName("acct_no")]
    public long? AcctNo { get; set; }
}

/// <summary><c>update_acct_credentials_m</c>: sets password and secret question. Takes <c>account_no</c>.</summary>
public sealed class UpdateAcctCredentialsMRequest() : AriaRequest("update_acct_credentials_m")
{
    [JsonPropertyName("account_no")]
    public long? AccountNo { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("secret_question")]
    public string? SecretQuestion { get; set; }

    [JsonPropertyName("secret_question_answer")]
    public string? SecretQuestionAnswer { get; set; }

    [JsonPropertyName("pin")]
    public string? Pin { get; set; }
}

public sealed class UpdateAcctCredentialsMResponse : AriaResponse;
