using AriaBot.Notifications.Delivery;
using AriaBot.Notifications.Subscriptions;

namespace AriaBot.Tests.Notifications;

/// <summary>
/// <see cref="TimeZoneNames"/> asks ICU whether a message is a Windows zone id only when it can be one (issue 22: every
/// message of a chat is offered to the time-zone question). The cue must never rule out a Windows id: every id this
/// machine maps one of its zones to, and the shapes CLDR uses, in any case, still reads as before.
/// </summary>
public sealed class TimeZoneWindowsIdTests
{
    [Fact]
    public void Every_windows_id_this_machine_knows_passes_the_cue_and_is_recognised_as_ICU_reads_it()
    {
        var windowsIds = TimeZoneInfo.GetSystemTimeZones()
            .Select(zone => TimeZoneInfo.TryConvertIanaIdToWindowsId(zone.Id, out var windows) ? windows : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        Assert.True(windowsIds.Count > 100, $"only {windowsIds.Count} Windows ids: is ICU missing?");
        foreach (var id in windowsIds.Concat(windowsIds.Select(w => w.ToLowerInvariant())).Concat(windowsIds.Select(w => w.ToUpperInvariant())))
        {
            Assert.True(TimeZoneNames.MayBeWindowsId(id), id);
            if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana) && QuietHours.Known(iana) is { } known)
            {
                Assert.Equal(known, TimeZoneNames.Recognize(id));
            }
        }
    }

    [Theory]
    [InlineData("Romance Standard Time")]
    [InlineData("Pacific Standard Time (Mexico)")]
    [InlineData("Dateline Standard Time")]
    [InlineData("UTC-11")]
    [InlineData("UTC+12")]
    [InlineData("UTC")]
    public void The_shapes_of_windows_ids_pass_the_cue(string id) => Assert.True(TimeZoneNames.MayBeWindowsId(id));

    [Theory]
    [InlineData("hi")]
    [InlineData("help")]
    [InlineData("what can you do?")]
    [InlineData("Madrid")]
    public void Ordinary_messages_do_not_reach_ICU(string text) => Assert.False(TimeZoneNames.MayBeWindowsId(text));
}
