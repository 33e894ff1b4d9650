using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AriaBot.Tests.Teams;

/// <summary>
/// The Teams app package under <c>deploymentTemplates/teams/</c>: the manifest, filled in as <c>package.sh</c> fills
/// it, checked against the rules of the Teams manifest schema 1.17 (the schema file itself is not vendored: these
/// are its required members, formats and limits, written out here), and the icons Teams requires.
/// </summary>
public sealed partial class TeamsManifestTests
{
    private const string AppId = "5a1e0b9c-0d6f-4c53-9d0e-2f4f3e3b1a10";
    private const string Domain = "bot.example.com";

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "deploymentTemplates", "teams");

    private static JsonElement Filled()
    {
        var text = File.ReadAllText(Path.Combine(Folder, "manifest.json"))
            .Replace("{{BOT_APP_ID}}", AppId, StringComparison.Ordinal)
            .Replace("{{BOT_DOMAIN}}", Domain, StringComparison.Ordinal)
            .Replace("{{COMPANY_NAME}}", "Contoso", StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public void The_manifest_meets_the_1_17_schemas_required_members_formats_and_limits()
    {
        var manifest = Filled();
        var version = manifest.GetProperty("manifestVersion").GetString()!;
        Assert.True(Version.Parse(version) >= new Version(1, 17), $"manifestVersion {version} is older than 1.17");
        Assert.Equal($"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json", manifest.GetProperty("$schema").GetString());
        Assert.Matches(SemVer(), manifest.GetProperty("version").GetString()!);
        Assert.Matches(Guid(), manifest.GetProperty("id").GetString()!);

        var developer = manifest.GetProperty("developer");
        Assert.InRange(developer.GetProperty("name").GetString()!.Length, 1, 32);
        foreach (var url in new[] { "websiteUrl", "privacyUrl", "termsOfUseUrl" })
        {
            Assert.StartsWith("https://", developer.GetProperty(url).GetString(), StringComparison.Ordinal);
        }
        Assert.InRange(manifest.GetProperty("name").GetProperty("short").GetString()!.Length, 1, 30);
        Assert.InRange(manifest.GetProperty("name").GetProperty("full").GetString()!.Length, 1, 100);
        Assert.InRange(manifest.GetProperty("description").GetProperty("short").GetString()!.Length, 1, 80);
        Assert.InRange(manifest.GetProperty("description").GetProperty("full").GetString()!.Length, 1, 4000);
        Assert.Matches("^#[0-9a-fA-F]{6}$", manifest.GetProperty("accentColor").GetString()!);

        var bot = Assert.Single(manifest.GetProperty("bots").EnumerateArray());
        Assert.Equal(AppId, bot.GetProperty("botId").GetString());
        var scopes = bot.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Subset(new HashSet<string?> { "personal", "team", "groupChat" }, scopes.ToHashSet());
        // Personal is where accounts are served; groups and channels must be reachable to offer it.
        Assert.Contains("personal", scopes);
        foreach (var list in bot.GetProperty("commandLists").EnumerateArray())
        {
            Assert.InRange(list.GetProperty("commands").GetArrayLength(), 1, 10);
            Assert.All(list.GetProperty("commands").EnumerateArray(), c => Assert.InRange(c.GetProperty("title").GetString()!.Length, 1, 32));
        }
        Assert.Equal([Domain], manifest.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()));
    }

    [Theory]
    [InlineData("color", 192)]
    [InlineData("outline", 32)]
    public void The_icons_are_PNGs_of_the_sizes_Teams_requires(string icon, int size)
    {
        var file = Filled().GetProperty("icons").GetProperty(icon).GetString()!;
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        // Colour type 6: RGBA, so the outline can be white on transparent as Teams asks.
        Assert.Equal(6, bytes[25]);
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex SemVer();

    [GeneratedRegex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
    private static partial Regex Guid();
}
