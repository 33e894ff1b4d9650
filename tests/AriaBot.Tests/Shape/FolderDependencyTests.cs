using System.Text.RegularExpressions;

namespace AriaBot.Tests.Shape;

/// <summary>
/// The folders of <c>src/AriaBot</c> (one namespace each) may depend on one another only in the directions listed here,
/// and never in a circle: a reader can then follow a turn downwards without coming back, and knows from a file's place
/// what it may touch. A new edge is a design decision: add it here with the reason, or move the code.
/// </summary>
public sealed partial class FolderDependencyTests
{
    /// <summary>Folder → the folders it may use. A folder missing here may use none.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        // The leaves: what is said, what was meant, business rules, the audit trail, the session binding.
        ["Language"] = [],
        ["SelfService"] = [],
        ["Audit"] = [],
        ["Transcripts"] = [],
        ["Session"] = [],
        ["SandboxHost"] = [],
        // Sending e-mail to customers (reset codes, contact changes, notices): a leaf every feature may use.
        // The Development outbox asks SandboxHost whether the sandbox is on (it is refused next to a real Aria).
        ["Email"] = ["SandboxHost"],
        ["Understanding"] = ["Language"],
        ["Catalog"] = ["SelfService", "Understanding"],
        // Sign-in sits on the session (Session knows nothing of it); Privacy redacts a code sign-in is waiting for.
        // (SelfService: the page mentions password reset only while SelfService:Sections:PasswordReset is on.)
        ["SignIn"] = ["Language", "SelfService", "Session"],
        // (PasswordReset: likewise while a reset's e-mailed code may be typed into the chat by mistake.)
        // (Account: likewise while a change of the account e-mail waits for the code sent to the new address.)
        // (Language: a message held back as an awaited code is answered with the flow's own sentence — AwaitedCodeMiddleware.)
        ["Privacy"] = ["Account", "Language", "PasswordReset", "Session", "SignIn"],
        // The conversation core every feature dialog builds on: account dialogs, the use-case declaration, shared words.
        ["Conversation"] = ["Language", "SelfService", "Session", "SignIn", "Understanding"],
        // (Telemetry: the write and reconciliation counters. Understanding: a waiting preview is voided by any message
        // led by an abort word, "cancel premium" included — Understanding/AbortWords.)
        ["Changes"] = ["Audit", "Conversation", "Language", "SelfService", "Session", "Telemetry", "Understanding"],
        ["Escalation"] = ["Conversation", "Language", "SelfService"],
        // The use cases. Orders reads the account's plan instances through Plans/AccountPlans (an account read model
        // that belongs below both once the account overview arrives).
        ["Plans"] = ["Catalog", "Changes", "Conversation", "Language", "SelfService", "Session", "Understanding"],
        // Payments: the methods on file (shared), the one-time payment and the payment-method page.
        ["Payments"] = ["Audit", "Catalog", "Changes", "Conversation", "Email", "Language", "SelfService", "Session", "SignIn", "Understanding"],
        // Password reset: the one write without a session. Its page is built on sign-in's (style, headers, links' base
        // URL, counters), it queues through the Email outbox, ends the account's Session bindings and audits the change.
        ["PasswordReset"] = ["Audit", "Conversation", "Email", "Language", "SelfService", "Session", "SignIn", "Understanding"],
        ["Orders"] = ["Catalog", "Changes", "Conversation", "Language", "Plans", "SelfService", "Session", "Understanding"],
        // The account overview, histories, statements and contact details: they read the plans (Plans/AccountPlans) and
        // the masked payment methods (Payments/PaymentMethodsOnFile), and a contact change goes through Changes.
        // (PasswordReset: the account e-mail change tells the reset rule of the previous address and shares its code hashing.)
        ["Account"] = ["Audit", "Changes", "Conversation", "Email", "Language", "PasswordReset", "Payments", "Plans", "SelfService", "Session", "SignIn", "Understanding"],
        // The shell routes a turn to the use cases through their declarations, never by naming them.
        ["Shell"] = ["Catalog", "Changes", "Conversation", "Escalation", "Language", "Privacy", "SelfService", "Session", "SignIn", "Understanding"],
        ["Web"] = ["SandboxHost", "Session"],
        // Slack channels: whether a conversation is private (Session's BindingKey) and the offer of a DM (Language).
        ["Slack"] = ["Language", "Session"],
        // Teams' rules around a turn (tenant allow-list, card presses, the private-chat offer): only what is said.
        ["Teams"] = ["Language"],
        // Scale-out notices (the "one moment" reply when another instance still runs the conversation's turn): only what is said.
        ["ScaleOut"] = ["Language"],
        // The assistant's metrics and the OpenTelemetry wiring: a leaf every feature may count into (writes, handoffs).
        ["Telemetry"] = [],
        // Handoff replaces the Escalation seam, keeps the bot out of a handed-off conversation (Privacy's flag, Language),
        // gives the agent the account (Session) and the redacted transcript (Transcripts), and on return offers the
        // shell's menu (Shell) or one use case (Conversation, Understanding, SelfService).
        // (Telemetry: the handoff counter. Changes: a pending write is reconciled on the customer's turns while handed off.)
        ["Handoff"] = ["Changes", "Conversation", "Escalation", "Language", "Privacy", "SelfService", "Session", "Shell", "Telemetry", "Transcripts", "Understanding"],
        // Proactive notices from Aria's events: queued through the Email outbox, opted in to on the turn's Session check,
        // worded in Language; the notice's button posts a use case's label (Understanding); SelfService can switch it off;
        // Changes: a write applied in the turn (AppliedWrite) is when the chat is offered notices.
        ["Notifications"] = ["Changes", "Email", "Language", "SelfService", "Session", "Understanding"],
        // The composition root wires everything; nothing but Program.cs uses it.
        ["Hosting"] = ["*"],
        [""] = ["Hosting"],
    };

    private static readonly string Source = Path.Combine("src", "AriaBot");

    [Fact]
    public void Every_folder_uses_only_the_folders_it_is_allowed_to()
    {
        var offences = Dependencies()
            .Where(edge => !IsAllowed(edge.From, edge.To))
            .Select(edge => $"{edge.File} uses AriaBot.{edge.To} (folder {Show(edge.From)} may use: {string.Join(", ", Allowed.GetValueOrDefault(edge.From, []))})")
            .Distinct()
            .ToList();
        Assert.True(offences.Count == 0, "Dependencies against the folder rules:\n" + string.Join('\n', offences));
    }

    [Fact]
    public void The_allowed_directions_have_no_cycle()
    {
        foreach (var folder in Allowed.Keys)
        {
            var path = CycleFrom(folder, folder, [folder]);
            Assert.True(path is null, $"The allowed dependencies go round in a circle: {string.Join(" → ", path ?? [])}");
        }
    }

    [Fact]
    public void Every_file_declares_the_namespace_of_its_folder()
    {
        var wrong = new List<string>();
        foreach (var file in SourceTree.CSharpFiles(Source))
        {
            var folder = FolderOf(file);
            var declared = Namespace().Match(File.ReadAllText(file));
            var expected = folder.Length == 0 ? null : "AriaBot." + string.Join('.', Path.GetRelativePath(Path.Combine(SourceTree.Root, Source), Path.GetDirectoryName(file)!).Split(Path.DirectorySeparatorChar));
            if (expected is not null && (!declared.Success || declared.Groups[1].Value != expected))
            {
                wrong.Add($"{SourceTree.Relative(file)} declares {(declared.Success ? declared.Groups[1].Value : "no namespace")}, expected {expected}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void The_rules_name_every_folder_there_is()
    {
        var folders = SourceTree.CSharpFiles(Source).Select(FolderOf).Distinct().ToList();
        Assert.All(folders, folder => Assert.True(Allowed.ContainsKey(folder), $"src/AriaBot/{folder} has no entry in the folder rules."));
        Assert.All(Allowed.Keys, folder => Assert.True(folders.Contains(folder), $"The folder rules name src/AriaBot/{folder}, which has no code."));
    }

    private static bool IsAllowed(string from, string to) =>
        Allowed.TryGetValue(from, out var allowed) && (allowed.Contains("*") || allowed.Contains(to));

    private static List<string>? CycleFrom(string start, string at, List<string> path)
    {
        foreach (var next in Allowed.GetValueOrDefault(at, []).Where(next => next != "*"))
        {
            if (next == start)
            {
                return [.. path, next];
            }
            if (!path.Contains(next))
            {
                var found = CycleFrom(start, next, [.. path, next]);
                if (found is not null)
                {
                    return found;
                }
            }
        }
        return null;
    }

    private static IEnumerable<(string File, string From, string To)> Dependencies()
    {
        foreach (var file in SourceTree.CSharpFiles(Source))
        {
            var from = FolderOf(file);
            foreach (Match reference in Reference().Matches(SourceTree.WithoutStrings(File.ReadAllText(file))))
            {
                var to = reference.Groups[1].Value;
                if (to != from)
                {
                    yield return (SourceTree.Relative(file), from, to);
                }
            }
        }
    }

    /// <summary>The top folder under src/AriaBot ("" for Program.cs).</summary>
    private static string FolderOf(string file)
    {
        var parts = Path.GetRelativePath(Path.Combine(SourceTree.Root, Source), file).Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 ? parts[0] : "";
    }

    private static string Show(string folder) => folder.Length == 0 ? "(root)" : folder;

    // Using directives, qualified names and cref texts alike.
    [GeneratedRegex(@"\bAriaBot\.([A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
