using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// What one parameter file would deploy, as <c>bicep snapshot</c> predicts it: every resource with its properties,
/// parameters and variables already evaluated. What only Azure knows (a host name, an identity's client id, a
/// secret's URI) is still an expression; <see cref="Evaluate"/> fills it with the stand-ins below, and secure
/// parameters with the values the parameter file was compiled with.
/// </summary>
internal sealed partial class DeploymentSnapshot
{
    // Stand-ins for values Azure assigns at deployment.
    public const string IdentityClientId = "11111111-2222-3333-4444-555555555555";
    public const string IdentityPrincipalId = "66666666-7777-8888-9999-000000000000";
    public const string IdentityTenantId = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private readonly Dictionary<string, JsonNode?> _parameterValues;

    public DeploymentSnapshot(string name, JsonObject template, JsonObject parameters, JsonObject snapshot)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(snapshot);
        Name = name;
        Template = template;
        _parameterValues = parameters["parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!["value"], StringComparer.OrdinalIgnoreCase);
        Resources = snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
    }

    public string Name { get; }

    /// <summary>The compiled ARM template (parameters with their types, defaults and descriptions).</summary>
    public JsonObject Template { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    public override string ToString() => Name;

    /// <summary>Names of the template's <c>@secure()</c> parameters.</summary>
    public IReadOnlySet<string> SecureParameters =>
        Template["parameters"]!.AsObject()
            .Where(p => p.Value!["type"]!.GetValue<string>() is "securestring" or "secureObject")
            .Select(p => p.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The values this deployment gives the secure parameters (from the compiled parameter file), empty ones left out.</summary>
    public IReadOnlyDictionary<string, string> SecureParameterValues =>
        SecureParameters
            .Where(name => _parameterValues.TryGetValue(name, out var value) && value is JsonValue && value.GetValue<string>().Length > 0)
            .ToDictionary(name => name, name => _parameterValues[name]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals(r["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type, Func<JsonObject, bool>? where = null)
    {
        var found = OfType(type).Where(where ?? (_ => true)).ToList();
        Assert.True(found.Count == 1, $"{Name}: expected one {type}, found {found.Count}.");
        return found[0];
    }

    public JsonObject Site => Single("Microsoft.Web/sites");

    public JsonObject Identity => Single("Microsoft.ManagedIdentity/userAssignedIdentities");

    public JsonObject Bot => Single("Microsoft.BotService/botServices");

    public JsonObject Vault => Single("Microsoft.KeyVault/vaults");

    public JsonObject Postgres => Single("Microsoft.DBforPostgreSQL/flexibleServers");

    public static string Id(JsonObject resource) => resource["id"]!.GetValue<string>();

    public static string Property(JsonObject resource, string path)
    {
        JsonNode? node = resource;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }
        Assert.True(node is not null, $"{resource["type"]} {resource["name"]} has no {path}.");
        return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node.ToJsonString();
    }

    /// <summary>The Web App's settings as the template writes them (a value may still be an ARM expression).</summary>
    public IReadOnlyDictionary<string, string> AppSettingExpressions =>
        Single("Microsoft.Web/sites/config", r => r["name"]!.GetValue<string>().EndsWith("/appsettings", StringComparison.Ordinal))["properties"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The Web App's settings as App Service would hold them: expressions evaluated, Key Vault references not yet resolved.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        AppSettingExpressions.ToDictionary(p => p.Key, p => EvaluateText(p.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings as the app sees them once App Service has resolved each Key Vault reference.</summary>
    public IReadOnlyDictionary<string, string> AppSettingsSeenByTheApp =>
        AppSettings.ToDictionary(p => p.Key, p => KeyVaultSecret(p.Value) is { } secret ? EvaluateText(Property(secret, "properties.value")) : p.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>The secret a <c>@Microsoft.KeyVault(SecretUri=…)</c> value names, or null when the value is no such reference.</summary>
    public JsonObject? KeyVaultSecret(string value)
    {
        var match = KeyVaultReference().Match(value);
        if (!match.Success)
        {
            return null;
        }
        var uri = match.Groups["uri"].Value;
        var secret = OfType("Microsoft.KeyVault/vaults/secrets").SingleOrDefault(s => SecretUri(Id(s)) == uri);
        Assert.True(secret is not null, $"{Name}: the Key Vault reference {value} names a secret this template does not create.");
        return secret;
    }

    public string EvaluateText(string value) =>
        ArmExpression.Evaluate(value, Parameter, Reference) as string ?? throw new InvalidOperationException($"{value} is not a string.");

    private object? Parameter(string name)
    {
        Assert.True(_parameterValues.TryGetValue(name, out var value), $"{Name}: parameter '{name}' has no value in the parameter file.");
        return value switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<long>(out var n) => n,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new InvalidOperationException($"Parameter '{name}' is not a plain value."),
        };
    }

    /// <summary>What <c>reference(id)</c> returns after deployment, for the properties the template reads.</summary>
    private static IReadOnlyDictionary<string, object?> Reference(string resourceId)
    {
        var (type, names) = Parse(resourceId);
        return type.ToLowerInvariant() switch
        {
            "microsoft.managedidentity/userassignedidentities" => new Dictionary<string, object?>
            {
                ["clientId"] = IdentityClientId,
                ["principalId"] = IdentityPrincipalId,
                ["tenantId"] = IdentityTenantId,
            },
            "microsoft.web/sites" => new Dictionary<string, object?>
            {
                ["defaultHostName"] = $"{names[0]}.azurewebsites.net",
                ["possibleOutboundIpAddresses"] = "192.0.2.10,192.0.2.11",
            },
            "microsoft.keyvault/vaults/secrets" => new Dictionary<string, object?> { ["secretUri"] = SecretUri(resourceId) },
            "microsoft.keyvault/vaults/keys" => new Dictionary<string, object?> { ["keyUri"] = $"https://{names[0]}.vault.azure.net/keys/{names[1]}" },
            "microsoft.dbforpostgresql/flexibleservers" => new Dictionary<string, object?> { ["fullyQualifiedDomainName"] = $"{names[0]}.postgres.database.azure.com" },
            "microsoft.network/publicipaddresses" => new Dictionary<string, object?> { ["ipAddress"] = "192.0.2.20" },
            // Where the Azure Monitor exporter sends: a loopback address nothing listens on, so a test host never reaches Azure.
            "microsoft.insights/components" => new Dictionary<string, object?>
            {
                ["ConnectionString"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:9/;ApplicationId={names[0]}",
            },
            _ => throw new InvalidOperationException($"reference() of a {type} has no stand-in; add one in DeploymentSnapshot.Reference."),
        };
    }

    private static string SecretUri(string secretId)
    {
        var (_, names) = Parse(secretId);
        return $"https://{names[0]}.vault.azure.net/secrets/{names[1]}";
    }

    /// <summary><c>/subscriptions/…/providers/Ns/TypeA/nameA/TypeB/nameB</c> → (<c>Ns/TypeA/TypeB</c>, [nameA, nameB]).</summary>
    private static (string Type, string[] Names) Parse(string resourceId)
    {
        var providers = resourceId.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        var parts = resourceId[(providers + "/providers/".Length)..].Split('/');
        var types = new List<string> { parts[0] };
        var names = new List<string>();
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            types.Add(parts[i]);
            names.Add(parts[i + 1]);
        }
        return (string.Join('/', types), [.. names]);
    }

    public static DeploymentSnapshot Load(string name, BicepRun buildParams, string snapshotFile)
    {
        ArgumentNullException.ThrowIfNull(buildParams);
        var compiled = JsonNode.Parse(buildParams.StandardOutput)!.AsObject();
        var template = JsonNode.Parse(compiled["templateJson"]!.GetValue<string>())!.AsObject();
        var parameters = JsonNode.Parse(compiled["parametersJson"]!.GetValue<string>())!.AsObject();
        var snapshot = JsonNode.Parse(File.ReadAllText(snapshotFile))!.AsObject();
        return new DeploymentSnapshot(name, template, parameters, snapshot);
    }

    [GeneratedRegex(@"^@Microsoft\.KeyVault\(SecretUri=(?<uri>[^)]+)\)$")]
    private static partial Regex KeyVaultReference();
}
