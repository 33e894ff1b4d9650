using System.Globalization;
using System.Reflection;
using Aria.Client;
using Aria.Sandbox;
using BotRuntime.Authentication;
using BotRuntime.Hosting;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// Whether an App Service setting name (<c>Section__Key__0</c>) is something the app reads: a property of an options
/// class bound from configuration, found by reflection over every class with a <c>SectionName</c> in the app's
/// assemblies, so a misspelt or retired key in the template is caught instead of silently doing nothing.
/// </summary>
internal static class AppSettingBinding
{
    /// <summary>Settings read by ASP.NET Core or App Service rather than by the app's options, with who reads them.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlatformSettings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "the host (environment name)",
        ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "ASP.NET Core (forwarded headers middleware)",
        ["SCM_DO_BUILD_DURING_DEPLOYMENT"] = "App Service's deployment engine",
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "the Azure Monitor exporter (Telemetry/TelemetryServiceCollectionExtensions.cs)",
    };

    /// <summary>Keys read directly from configuration rather than bound to a class.</summary>
    private static readonly string[] DirectlyReadKeys = [BotCloudOptions.PresetKey];

    private static readonly Assembly[] AppAssemblies =
    [
        typeof(Program).Assembly,
        typeof(BotOptions).Assembly,
        typeof(AriaOptions).Assembly,
        typeof(AriaSandboxOptions).Assembly,
    ];

    /// <summary>Every options class with the configuration section it is bound from.</summary>
    public static IReadOnlyList<(string Section, Type Options)> OptionsClasses { get; } = FindOptionsClasses();

    /// <summary>Null when the app reads the setting; otherwise why not.</summary>
    public static string? WhyNotBound(string settingName)
    {
        ArgumentNullException.ThrowIfNull(settingName);
        if (PlatformSettings.ContainsKey(settingName))
        {
            return null;
        }
        var path = settingName.Split("__");
        if (DirectlyReadKeys.Any(key => string.Equals(key, string.Join(':', path), StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        foreach (var (section, options) in OptionsClasses)
        {
            var sectionPath = section.Length == 0 ? [] : section.Split(':');
            if (path.Length > sectionPath.Length
                && sectionPath.Zip(path).All(pair => string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase))
                && Binds(options, path.AsSpan(sectionPath.Length)))
            {
                return null;
            }
        }
        return $"'{settingName}' (configuration key '{string.Join(':', path)}') is bound by no options class ({string.Join(", ", OptionsClasses.Select(o => $"{(o.Section.Length == 0 ? "<root>" : o.Section)}: {o.Options.Name}"))}) and is no platform setting.";
    }

    private static List<(string Section, Type Options)> FindOptionsClasses()
    {
        // BotRuntimeExtensions.AddBotRuntime binds the Azure Bot Service identity at the configuration root, under
        // the names Azure users know (MicrosoftAppId, …).
        var found = new List<(string, Type)> { (string.Empty, typeof(BotCredentialsOptions)) };
        foreach (var type in AppAssemblies.SelectMany(assembly => assembly.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string))
            {
                found.Add(((string)field.GetRawConstantValue()!, type));
            }
        }
        return found;
    }

    /// <summary>Whether the configuration binder puts a value at <paramref name="path"/> below an instance of <paramref name="type"/>.</summary>
    private static bool Binds(Type type, ReadOnlySpan<string> path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (path.IsEmpty)
        {
            return IsScalar(type);
        }
        if (IsScalar(type))
        {
            return false;
        }
        if (DictionaryValue(type) is { } value)
        {
            return Binds(value, path[1..]);
        }
        if (CollectionElement(type) is { } element)
        {
            return int.TryParse(path[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) && Binds(element, path[1..]);
        }
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.GetIndexParameters().Length > 0)
        {
            return false;
        }
        // The binder sets scalars through a setter; it fills objects and lists it finds already created.
        if (property.SetMethod is not { IsPublic: true } && IsScalar(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType))
        {
            return false;
        }
        return Binds(property.PropertyType, path[1..]);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);

    private static Type? CollectionElement(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static Type? DictionaryValue(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[0] == typeof(string) ? dictionary.GetGenericArguments()[1] : null;
    }
}
