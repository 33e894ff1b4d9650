namespace AriaBot.Tests.Shape;

/// <summary>
/// No C# file in <c>src/</c> grows past <see cref="MaxLines"/> lines: a file that long does more than one thing. The
/// few that are longer are listed with the reason, and with the size they may not outgrow.
/// </summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 350;

    private static readonly Dictionary<string, (int Lines, string Why)> Exceptions = new()
    {
        ["src/AriaSandbox/Calls/PlanChangeCalls.cs"] = (370, "the four plan-change calls of the simulator share their preview/write validation"),
    };

    [Fact]
    public void No_source_file_is_longer_than_the_limit_unless_listed_with_a_reason()
    {
        var tooLong = new List<string>();
        foreach (var file in SourceTree.CSharpFiles("src"))
        {
            var relative = SourceTree.Relative(file);
            var lines = File.ReadLines(file).Count();
            var limit = Exceptions.TryGetValue(relative, out var exception) ? exception.Lines : MaxLines;
            if (lines > limit)
            {
                tooLong.Add($"{relative}: {lines} lines (limit {limit})");
            }
        }
        Assert.True(tooLong.Count == 0, "Files over their size limit; split them by responsibility:\n" + string.Join('\n', tooLong));
    }

    [Fact]
    public void Every_listed_exception_still_needs_to_be_one()
    {
        foreach (var (relative, (limit, why)) in Exceptions)
        {
            var path = Path.Combine(SourceTree.Root, relative);
            Assert.True(File.Exists(path), $"{relative} is listed but does not exist.");
            Assert.False(string.IsNullOrWhiteSpace(why));
            Assert.True(File.ReadLines(path).Count() > MaxLines, $"{relative} is back under {MaxLines} lines: take it off the list.");
        }
    }
}
