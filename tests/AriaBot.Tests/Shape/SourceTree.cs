using System.Text.RegularExpressions;

namespace AriaBot.Tests.Shape;

/// <summary>The repository's source files as text, for tests about the code's shape rather than its behaviour.</summary>
internal static partial class SourceTree
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every C# file under <paramref name="folder"/> (relative to the root), build output and npm folders left out.</summary>
    public static IReadOnlyList<string> CSharpFiles(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !Relative(path).Split('/').Any(part => part is "bin" or "obj" or "node_modules" or "ClientApp" or "wwwroot"))
            .OrderBy(path => path, StringComparer.Ordinal)];

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The code without string literals, so a key like <c>"AriaBot.X"</c> is not read as a reference.</summary>
    public static string WithoutStrings(string code) => StringLiteral().Replace(code, "\"\"");

    // Regular string literals (with escapes); the source has no verbatim or raw strings that name a folder.
    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AriaBot.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("AriaBot.sln not found above the test's output folder.");
    }
}
