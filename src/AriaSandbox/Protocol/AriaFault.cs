namespace Aria.Sandbox.Protocol;

/// <summary>
/// An Aria business error: the call stops and the reply is <c>{error_code, error_msg}</c>.
/// Thrown only before a call changes anything, so a fault never leaves half a write behind.
/// </summary>
public sealed class AriaFault : Exception
{
    public AriaFault(long code, string message)
        : base(message) => Code = code;

    public AriaFault()
        : this(AriaCodes.Unexpected, "unexpected error")
    {
    }

    public AriaFault(string message)
        : this(AriaCodes.Unexpected, message)
    {
    }

    public AriaFault(string message, Exception innerException)
        : base(message, innerException) => Code = AriaCodes.Unexpected;

    public long Code { get; }
}

/// <summary>The codes the sandbox answers with (Aria's error-message pages; placeholders marked).</summary>
public static class AriaCodes
{
    public const long NotAttempted = -1;
    public const long Unexpected = 1001;
    public const long HostNotPermitted = 1003;
    public const long AuthenticationFailed = 1004;
    public const long AccountNotFound = 1009;
    public const long NoDataFound = 1002;
    public const long MissingParameter = 1010;
    public const long InvalidSession = 1011;

    /// <summary>Placeholder for a wrong password at sign-in: Aria's code is not documented (unverified against Aria).</summary>
    public const long LoginFailed = 1013;

    /// <summary>Also the placeholder for "invalid plan", "plan not assignable" and "invalid SKU", whose real codes are unknown (unverified against Aria).</summary>
    public const long InvalidInput = 1016;

    public const long InvalidDate = 1024;
    public const long AmountNotPositive = 1025;
    public const long InvalidBoolean = 1033;
    public const long InvalidAssignmentDirective = 1035;
    public const long StatusBlocksChange = 1049;
    public const long ReceiptIdUsed = 1099;
    public const long UnitsNotPositive = 3010;
    public const long InvalidBillImmediately = 3034;
    public const long DuplicateClientOrderId = 3118;
    public const long CollectionFailed = 4001;
    public const long ZeroBalance = 4003;
    public const long InvalidPayMethod = 4006;
    public const long InvalidExpiry = 4008;
    public const long InvalidCardNumber = 4009;
    public const long InvalidBankDraft = 4010;
    public const long CardAuthorizationFailed = 4011;
    public const long BalanceBelowZero = 4020;
    public const long PaymentMethodRequired = 4021;
    public const long InvalidPlanInstanceNo = 14046;
    public const long InvalidClientPlanInstanceId = 14047;
    public const long IllegalCharacters = 25020;
    public const long InvalidBillingGroup = 26010;
}
