namespace Aria.Client;

/// <summary>What kind of failure an <see cref="AriaError"/> is.</summary>
public enum AriaErrorKind
{
    /// <summary>Aria answered with <c>error_code</c> ≠ 0.</summary>
    Aria,

    /// <summary>Aria could not be reached in time: timeout, open circuit, network error, or 5xx after retries.</summary>
    Unavailable,

    /// <summary>Aria answered something that is not an Aria reply (not JSON, or no <c>error_code</c>).</summary>
    InvalidResponse,
}

/// <summary>Why Aria is <see cref="AriaErrorKind.Unavailable"/>.</summary>
public enum AriaUnavailableReason
{
    Timeout,
    CircuitOpen,
    ServerError,
    NetworkError,
}

/// <summary>
/// A failed Aria call: Aria's own error (<see cref="Code"/>, <see cref="Message"/>) or a transport
/// failure. For a write, <see cref="OutcomeUnknown"/> says that Aria may have applied it anyway
/// (the reply was lost): reconcile by reading the account, never by sending it again blindly.
/// </summary>
public sealed record AriaError
{
    private AriaError(AriaErrorKind kind, long code, string message)
    {
        Kind = kind;
        Code = code;
        Message = message;
    }

    public AriaErrorKind Kind { get; }

    /// <summary>Aria's <c>error_code</c>; 0 for failures that did not come from Aria.</summary>
    public long Code { get; }

    /// <summary>Aria's <c>error_msg</c>, or a description of the transport failure.</summary>
    public string Message { get; }

    /// <summary>The named code, when Aria's code is one the bot knows.</summary>
    public AriaErrorCode? KnownCode =>
        Kind == AriaErrorKind.Aria && Code is >= int.MinValue and <= int.MaxValue && Enum.IsDefined(typeof(AriaErrorCode), (int)Code)
            ? (AriaErrorCode)(int)Code
            : null;

    public AriaUnavailableReason? UnavailableReason { get; private init; }

    /// <summary>True when the call was a write and it failed in a way that may have left it applied.</summary>
    public bool OutcomeUnknown { get; private init; }

    /// <summary>How many attempts were sent (retries included).</summary>
    public int Attempts { get; init; } = 1;

    public bool Is(AriaErrorCode code) => Kind == AriaErrorKind.Aria && Code == (long)code;

    public bool IsUnavailable => Kind == AriaErrorKind.Unavailable;

    /// <summary>1011: sign in again.</summary>
    public bool IsSessionInvalid => Is(AriaErrorCode.InvalidSession);

    /// <summary>4001/4011: the payment method was declined.</summary>
    public bool IsDeclined => Is(AriaErrorCode.CollectionFailed) || Is(AriaErrorCode.CardAuthorizationFailed);

    /// <summary>1099, or 1012 which Aria also uses for a reused receipt id.</summary>
    public bool IsReceiptAlreadyUsed => Is(AriaErrorCode.ReceiptIdAlreadyUsed) || Is(AriaErrorCode.InvalidInputFormat);

    /// <summary>
    /// Our own retry of a write was refused because its receipt id was used: the earlier attempt,
    /// whose reply was lost, most likely committed. Still confirm by reading the account.
    /// </summary>
    public bool LikelyCommittedByEarlierAttempt => IsReceiptAlreadyUsed && Attempts > 1;

    public static AriaError FromAria(long code, string? message) =>
        new(AriaErrorKind.Aria, code, string.IsNullOrWhiteSpace(message) ? $"Aria error {code}" : message);

    public static AriaError Unavailable(AriaUnavailableReason reason, string message, bool outcomeUnknown) =>
        new(AriaErrorKind.Unavailable, 0, message) { UnavailableReason = reason, OutcomeUnknown = outcomeUnknown };

    public static AriaError InvalidResponse(string message, bool outcomeUnknown) =>
        new(AriaErrorKind.InvalidResponse, 0, message) { OutcomeUnknown = outcomeUnknown };

    public override string ToString() => Kind switch
    {
        AriaErrorKind.Aria => $"Aria error {Code}: {Message}",
        AriaErrorKind.Unavailable => $"Aria unavailable ({UnavailableReason}): {Message}",
        _ => $"Invalid Aria response: {Message}",
    };
}
