namespace Aria.Client;

/// <summary>
/// Aria's error codes that the bot reacts to, from Aria's error-message pages. A code not listed
/// here still arrives as a number in <see cref="AriaError.Code"/>.
/// </summary>
public enum AriaErrorCode
{
    /// <summary>-1: not attempted (Aria's test harness reads it as "API not found").</summary>
    NotAttempted = -1,
    Unexpected = 1001,
    NoDataFound = 1002,
    /// <summary>This host's IP address is not allow-listed for the client.</summary>
    HostNotPermitted = 1003,
    /// <summary>Wrong <c>client_no</c> or <c>auth_key</c>.</summary>
    AuthenticationFailed = 1004,
    ClientNotEnabledForApi = 1005,
    /// <summary>The account does not exist (the message names the identifier used).</summary>
    AccountNotFound = 1009,
    MissingRequiredParameter = 1010,
    /// <summary>The session is unknown, expired or killed.</summary>
    InvalidSession = 1011,
    /// <summary>Invalid input format; Aria also uses it for a reused receipt id.</summary>
    InvalidInputFormat = 1012,
    /// <summary>
    /// Wrong user id/password at <c>set_session_auth_m</c>. Placeholder: Aria's real code for this was
    /// not found in its documentation (unverified against Aria).
    /// </summary>
    LoginFailed = 1013,
    InvalidInput = 1016,
    InvalidDate = 1024,
    AmountNotPositive = 1025,
    InvalidBoolean = 1033,
    InvalidAssignmentDirective = 1035,
    /// <summary>Plan or billing changes are not allowed in the account's status.</summary>
    StatusBlocksChange = 1049,
    /// <summary>The <c>client_receipt_id</c> is invalid or already used.</summary>
    ReceiptIdAlreadyUsed = 1099,
    UnitsNotPositive = 3010,
    InvalidBillImmediately = 3034,
    DuplicateClientOrderId = 3118,
    /// <summary>Collection failed (a decline).</summary>
    CollectionFailed = 4001,
    /// <summary>Nothing to settle: the balance is zero.</summary>
    ZeroBalance = 4003,
    InvalidPayMethod = 4006,
    InvalidExpiry = 4008,
    InvalidCardNumber = 4009,
    InvalidBankDraft = 4010,
    /// <summary>Card authorization failed (a decline).</summary>
    CardAuthorizationFailed = 4011,
    BalanceBelowZero = 4020,
    PaymentMethodRequired = 4021,
    DuplicatePaymentReference = 4030,
    InvalidPlanInstanceNo = 14046,
    InvalidClientPlanInstanceId = 14047,
    InvalidPlanStatus = 14051,
    StatusBlocksProvisioning = 14077,
    IllegalCharacters = 25020,
    InvalidBillingGroup = 26010,
}
