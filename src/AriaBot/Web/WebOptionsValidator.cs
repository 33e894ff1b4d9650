using Microsoft.Extensions.Options;
using AriaBot.SandboxHost;

namespace AriaBot.Web;

/// <summary>
/// Start-up checks for <see cref="WebOptions"/>: frame ancestors must be origins (they go into a header), and the
/// demo portal — which signs anyone in as any demo customer — is refused unless the Aria sandbox is on.
/// </summary>
internal sealed class WebOptionsValidator(DevelopmentSandbox sandbox) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var problems = new List<string>();
        foreach (var ancestor in options.FrameAncestors)
        {
            if (!SecurityHeaders.IsFrameAncestor(ancestor))
            {
                problems.Add($"Web:FrameAncestors entry '{ancestor}' must be 'self' or an http(s) origin such as https://portal.example.com (no path, no wildcard).");
            }
        }
        if (options.DemoPortal == true && !sandbox.Enabled)
        {
            problems.Add("Web:DemoPortal=true is refused: the demo account picker signs anyone in as any customer, so it runs only in Development with the Aria sandbox (Aria:UseSandbox=true and a loopback Aria:BaseUrl), never next to a real Aria.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Whether the demo portal sign-in is on for this process (see <see cref="WebOptions.DemoPortal"/>).</summary>
public sealed class DemoPortal(IOptions<WebOptions> options, DevelopmentSandbox sandbox)
{
    // The validator has already refused DemoPortal=true without the sandbox, so "sandbox on" is the ceiling here too:
    // even if validation were skipped, the picker could not appear next to a real Aria.
    public bool Enabled { get; } = sandbox.Enabled && (options.Value.DemoPortal ?? true);
}
