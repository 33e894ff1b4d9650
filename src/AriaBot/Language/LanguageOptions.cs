namespace AriaBot.Language;

/// <summary>Configuration section <c>Language</c>.</summary>
public sealed class LanguageOptions
{
    public const string SectionName = "Language";

    /// <summary>Folder holding the <c>.lg</c>/<c>.lu</c> files; default <c>&lt;app base&gt;/dialogs</c>, where the build copies them.</summary>
    public string? DialogsPath { get; set; }

    /// <summary>Pick a random wording of each sentence instead of the first (off by default: stable transcripts).</summary>
    public bool VaryWordings { get; set; }

    public string ResolveDialogsPath() => string.IsNullOrWhiteSpace(DialogsPath) ? DialogsFolder.DefaultPath : DialogsPath;
}
