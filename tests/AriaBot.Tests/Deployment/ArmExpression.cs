using System.Globalization;
using System.Text;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// Evaluates what a Bicep snapshot leaves unevaluated: the ARM expressions that need Azure at deployment time
/// (<c>reference(…)</c>) or a secure parameter (<c>parameters(…)</c>). The caller supplies both. Only the few
/// functions such values use are known; anything else fails loudly, so a template change that needs more
/// is noticed rather than mis-evaluated.
/// </summary>
internal sealed class ArmExpression
{
    private readonly Func<string, object?> _parameter;
    private readonly Func<string, IReadOnlyDictionary<string, object?>> _reference;
    private readonly string _text;
    private int _position;
    // Inside the branch if() does not take: parsed, not evaluated (ARM evaluates only the branch it takes).
    private bool _skipping;

    private ArmExpression(string text, Func<string, object?> parameter, Func<string, IReadOnlyDictionary<string, object?>> reference)
    {
        _text = text;
        _parameter = parameter;
        _reference = reference;
    }

    /// <summary>A template string's value: literal, <c>[[</c>-escaped literal, or an <c>[expression]</c>.</summary>
    public static object? Evaluate(string value, Func<string, object?> parameter, Func<string, IReadOnlyDictionary<string, object?>> reference)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith("[[", StringComparison.Ordinal))
        {
            return value[1..];
        }
        if (!value.StartsWith('[') || !value.EndsWith(']'))
        {
            return value;
        }
        var expression = new ArmExpression(value[1..^1], parameter, reference);
        var result = expression.Expression();
        expression.SkipSpace();
        if (expression._position != expression._text.Length)
        {
            throw expression.Error("unexpected text");
        }
        return result;
    }

    /// <summary>True when the template string is an expression rather than a literal.</summary>
    public static bool IsExpression(string value) =>
        value.StartsWith('[') && value.EndsWith(']') && !value.StartsWith("[[", StringComparison.Ordinal);

    private object? Expression()
    {
        var value = Primary();
        while (true)
        {
            SkipSpace();
            if (Accept('.'))
            {
                var member = Identifier();
                value = _skipping ? null : value is IReadOnlyDictionary<string, object?> properties
                    ? properties.TryGetValue(member, out var found) ? found : throw Error($"the value has no property '{member}' (known: {string.Join(", ", properties.Keys)})")
                    : throw Error($"'.{member}' on a value that is not an object");
            }
            else if (Accept('['))
            {
                var index = Expression();
                Expect(']');
                value = _skipping ? null : (value, index) switch
                {
                    (IReadOnlyList<object?> list, long i) => list[(int)i],
                    (IReadOnlyDictionary<string, object?> properties, string key) => properties[key],
                    _ => throw Error("an index the evaluator does not know"),
                };
            }
            else
            {
                return value;
            }
        }
    }

    private object? Primary()
    {
        SkipSpace();
        if (Accept('\''))
        {
            var literal = new StringBuilder();
            while (true)
            {
                if (_position >= _text.Length)
                {
                    throw Error("unterminated string");
                }
                var c = _text[_position++];
                if (c == '\'')
                {
                    if (_position < _text.Length && _text[_position] == '\'')
                    {
                        literal.Append('\'');
                        _position++;
                        continue;
                    }
                    return literal.ToString();
                }
                literal.Append(c);
            }
        }
        if (_position < _text.Length && (char.IsAsciiDigit(_text[_position]) || _text[_position] == '-'))
        {
            var start = _position++;
            while (_position < _text.Length && char.IsAsciiDigit(_text[_position]))
            {
                _position++;
            }
            return long.Parse(_text.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var name = Identifier();
        SkipSpace();
        if (!Accept('('))
        {
            return name switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                _ => throw Error($"'{name}' is not a value"),
            };
        }
        if (name.Equals("if", StringComparison.OrdinalIgnoreCase))
        {
            return If();
        }
        var arguments = new List<object?>();
        SkipSpace();
        if (!Accept(')'))
        {
            do
            {
                arguments.Add(Expression());
                SkipSpace();
            }
            while (Accept(','));
            Expect(')');
        }
        return _skipping ? null : Call(name, arguments);
    }

    private object? If()
    {
        var condition = Expression();
        Expect(',');
        var outer = _skipping;
        _skipping = outer || condition is not true;
        var whenTrue = Expression();
        Expect(',');
        _skipping = outer || condition is true;
        var whenFalse = Expression();
        _skipping = outer;
        Expect(')');
        return condition is true ? whenTrue : whenFalse;
    }

    private object? Call(string function, List<object?> arguments) => function.ToLowerInvariant() switch
    {
        "parameters" => _parameter(Text(arguments[0])),
        "reference" => _reference(Text(arguments[0])),
        "format" => string.Format(CultureInfo.InvariantCulture, Text(arguments[0]), arguments.Skip(1).Select(Text).ToArray<object?>()),
        "concat" => string.Concat(arguments.Select(Text)),
        "replace" => Text(arguments[0]).Replace(Text(arguments[1]), Text(arguments[2]), StringComparison.Ordinal),
        "string" => Text(arguments[0]),
        "tolower" => Text(arguments[0]).ToLowerInvariant(),
        "not" => arguments[0] is not true,
        "length" => (long)(arguments[0] switch
        {
            string s => s.Length,
            IReadOnlyCollection<object?> c => c.Count,
            _ => throw Error("length() of a value that is neither a string nor an array"),
        }),
        "greaterorequals" => Compare(arguments[0], arguments[1]) >= 0,
        "less" => Compare(arguments[0], arguments[1]) < 0,
        "fail" => throw new InvalidOperationException($"The template fails the deployment: {Text(arguments[0])}"),
        "empty" => arguments[0] switch
        {
            null => true,
            string s => s.Length == 0,
            IReadOnlyCollection<object?> c => c.Count == 0,
            _ => false,
        },
        _ => throw Error($"the function '{function}' is not known to this evaluator; teach it (tests/AriaBot.Tests/Deployment/ArmExpression.cs)"),
    };

    private int Compare(object? left, object? right) => (left, right) switch
    {
        (long l, long r) => l.CompareTo(r),
        (string l, string r) => string.CompareOrdinal(l, r),
        _ => throw Error("a comparison of values that are not both numbers or both strings"),
    };

    private static string Text(object? value) => value switch
    {
        string s => s,
        long n => n.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        null => string.Empty,
        _ => throw new InvalidOperationException($"A {value.GetType().Name} where a string was expected."),
    };

    private string Identifier()
    {
        SkipSpace();
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        return _position > start ? _text[start.._position] : throw Error("a name was expected");
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private bool Accept(char c)
    {
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!Accept(c))
        {
            throw Error($"'{c}' was expected");
        }
    }

    private InvalidOperationException Error(string problem) =>
        new($"ARM expression [{_text}]: {problem} at position {_position}.");
}
