using System.Collections;
using System.Reflection;
using Microsoft.Recognizers.Text.DateTime;
using MsDateTimeModel = Microsoft.Recognizers.Text.DateTime.DateTimeModel;

namespace BotRuntime.Recognition;

/// <summary>
/// Microsoft.Recognizers.Text 1.8.13 builds some configuration values anew on every read: the English duration
/// and time extractor configurations compile their ambiguity-filter regexes (<c>AmbiguityFiltersDict</c>) each
/// time they are asked, and the extractors read them on every extraction, so a shared model still compiled regexes
/// per call (~22 % of a turn's busy CPU went to finalising them). The values depend only on the culture, so this
/// reads each once when the model is built and hands the extractors a configuration that returns the stored value;
/// every other member is forwarded unchanged, so answers are identical (<c>DateTimeModelOracleTests</c> compares
/// with the stock model). Only configurations that really rebuild (two reads, two instances) are wrapped: the
/// Spanish ones keep theirs, and forwarding costs a little on every other read. (The merged parser
/// configurations also rebuild <c>DayOfMonth</c> per read, but nothing reads it per call: wrapping them measured
/// no saving and more forwarding, so they are left alone.)
/// </summary>
/// <remarks>
/// The configurations are created inside the library's constructors and kept in read-only fields of its
/// extractors and parsers, so the only way to reach them is to swap those fields once, before the model is
/// shared. Tests fail if the library moves them (the swap count and the same-instance checks).
/// </remarks>
internal static class DateTimeConfigurationCache
{
    /// <summary>Configuration interfaces and the properties of theirs that 1.8.13 rebuilds per read.</summary>
    private static readonly Dictionary<Type, string[]> RebuiltPerRead = new()
    {
        [typeof(IDurationExtractorConfiguration)] = ["AmbiguityFiltersDict"],
        [typeof(ITimeExtractorConfiguration)] = ["AmbiguityFiltersDict"],
    };

    /// <summary>Swaps every rebuilt-per-read configuration reachable from <paramref name="model"/>; returns the stored-value configurations now in use.</summary>
    public static IReadOnlyCollection<object> Apply(MsDateTimeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var replacements = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(model);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!visited.Add(current))
            {
                continue;
            }

            foreach (var field in InstanceFields(current.GetType()))
            {
                var value = field.GetValue(current);
                if (value is null || value is string || field.FieldType.IsValueType || value is System.Text.RegularExpressions.Regex)
                {
                    continue;
                }

                if (RebuiltPerRead.TryGetValue(field.FieldType, out var properties) && value is not ICachedConfiguration && RebuildsOnRead(field.FieldType, value, properties))
                {
                    if (!replacements.TryGetValue(value, out var cached))
                    {
                        cached = CachingConfiguration.Create(field.FieldType, value, properties);
                        replacements[value] = cached;
                    }

                    field.SetValue(current, cached);
                }

                Enqueue(pending, value);
            }
        }

        return replacements.Values;
    }

    private static bool RebuildsOnRead(Type configurationInterface, object configuration, string[] properties) =>
        configurationInterface.GetProperties()
            .Where(property => properties.Contains(property.Name))
            .Any(property => !ReferenceEquals(property.GetValue(configuration), property.GetValue(configuration)));

    internal static void Enqueue(Stack<object> pending, object value)
    {
        var type = value.GetType();
        if (IsLibraryType(type))
        {
            pending.Push(value);
        }
        else if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                if (entry.Value is not null && IsLibraryType(entry.Value.GetType()))
                {
                    pending.Push(entry.Value);
                }
            }
        }
        else if (value is IEnumerable sequence)
        {
            foreach (var item in sequence)
            {
                if (item is not null && IsLibraryType(item.GetType()))
                {
                    pending.Push(item);
                }
            }
        }
    }

    internal static bool IsLibraryType(Type type) =>
        type.Namespace?.StartsWith("Microsoft.Recognizers.Text", StringComparison.Ordinal) == true;

    internal static IEnumerable<FieldInfo> InstanceFields(Type type)
    {
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }
}

/// <summary>Marks a configuration that already serves stored values, so applying twice never wraps twice.</summary>
internal interface ICachedConfiguration
{
    object Inner { get; }
}

/// <summary>
/// A runtime implementation of one configuration interface: the listed getters return the value read once at
/// construction, every other member calls the library's own configuration.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives a type from this one at run time.
internal class CachingConfiguration : DispatchProxy, ICachedConfiguration
#pragma warning restore CA1852
{
    private object inner = null!;
    private Dictionary<MethodInfo, object?> stored = [];

    public object Inner => inner;

    public static object Create(Type configurationInterface, object inner, IReadOnlyCollection<string> properties)
    {
        var proxy = DispatchProxy.Create(configurationInterface, typeof(CachingConfiguration));
        var caching = (CachingConfiguration)proxy;
        caching.inner = inner;
        var getters = configurationInterface.GetInterfaces().Append(configurationInterface)
            .SelectMany(type => type.GetProperties())
            .Where(property => properties.Contains(property.Name) && property.GetMethod is not null)
            .Select(property => property.GetMethod!);
        caching.stored = getters.ToDictionary(getter => getter, getter => getter.Invoke(inner, null));
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (stored.TryGetValue(targetMethod, out var value))
        {
            return value;
        }

        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            // The library's own exception, not the reflection wrapper, so callers see what they would have seen.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }
}
