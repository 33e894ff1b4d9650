using System.Text.RegularExpressions;
using AriaBot.Understanding;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// <see cref="CatalogSizes.In"/> reads every catalogue name and description and every message. Its pattern has no match
/// timeout: one measured on the wall clock fires on normal input when the thread is descheduled under load (it threw
/// once in CI), and the pattern is linear, so none is needed. These tests pin both: no timeout, and the shapes that
/// could make a backtracking pattern costly read right (long digit runs, dotted runs, many numbers, a unit never found).
/// </summary>
public sealed class CatalogSizesTests
{
    [Fact]
    public void The_size_pattern_has_no_wall_clock_timeout_that_load_could_trip()
    {
        Assert.Equal(Regex.InfiniteMatchTimeout, CatalogSizes.SizePattern().MatchTimeout);
    }

    [Theory]
    [InlineData("Fibre 1 Gb/s", 1000)]
    [InlineData("the 500 Mb/s plan", 500)]
    [InlineData("100 megas", 100)]
    [InlineData("1TB backup", 1_000_000)]
    [InlineData("1,5 GB", 1500)]
    [InlineData("2.5 gigabytes", 2500)]
    [InlineData("512 kbps", 0.512)]
    public void Names_and_messages_read_as_their_size_in_megas(string text, double megas)
    {
        Assert.Equal((decimal)megas, Assert.Single(CatalogSizes.In(text)).Megas);
    }

    public static TheoryData<string, string, int> CostlyShapes() => new()
    {
        { "a digit run with no unit", new string('9', 50_000), 0 },
        { "a digit run too long for a number, then a unit", new string('9', 50_000) + " GB", 0 },
        { "dotted and comma runs", string.Concat(Enumerable.Repeat("1.2,", 20_000)) + "3 MB", 0 },
        { "many numbers, one unit at the end", string.Concat(Enumerable.Repeat("12 ", 20_000)) + "12 GB", 1 },
        { "many sizes", string.Concat(Enumerable.Repeat("5 GB, ", 10_000)), 10_000 },
        { "units without numbers", string.Concat(Enumerable.Repeat("gb mb tb megas ", 10_000)), 0 },
        { "a unit almost there each time", string.Concat(Enumerable.Repeat("7 gigabit", 10_000)), 0 },
        { "spaces between number and unit", "1" + new string(' ', 50_000) + "GB", 0 },
    };

    [Theory]
    [MemberData(nameof(CostlyShapes))]
    public void Shapes_that_could_make_a_pattern_backtrack_are_read_in_full_and_right(string shape, string text, int expected)
    {
        Assert.True(CatalogSizes.In(text).Count == expected, shape);
    }
}
