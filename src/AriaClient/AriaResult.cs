using System.Diagnostics.CodeAnalysis;

namespace Aria.Client;

/// <summary>An Aria reply (<see cref="Value"/>) or why there is none (<see cref="Error"/>).</summary>
public sealed class AriaResult<T>
    where T : class
{
    private AriaResult(T? value, AriaError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public AriaError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static AriaResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static AriaResult<T> Failure(AriaError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    public TOut Match<TOut>(Func<T, TOut> onSuccess, Func<AriaError, TOut> onFailure)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        ArgumentNullException.ThrowIfNull(onFailure);
        return IsSuccess ? onSuccess(Value) : onFailure(Error);
    }

    public override string ToString() => IsSuccess ? $"Success({typeof(T).Name})" : $"Failure({Error})";
}
