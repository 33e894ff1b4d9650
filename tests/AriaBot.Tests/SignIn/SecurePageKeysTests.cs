using System.Net;
using System.Security.Cryptography;
using System.Text;
using AriaBot.SignIn;

namespace AriaBot.Tests.SignIn;

/// <summary>
/// The shared pieces every secure page's storage keys are made of (<see cref="LinkState"/>, <see cref="SignInCounters.AddressKey"/>)
/// must keep making the keys records and counters were stored under before they were shared: a changed key would
/// strand every open link and reset every limit at the next deploy.
/// </summary>
public sealed class SecurePageKeysTests
{
    [Fact]
    public void A_new_link_state_is_43_url_safe_characters_and_its_hash_is_the_lower_hex_sha256_of_it()
    {
        var state = LinkState.New();

        Assert.True(LinkState.IsWellFormed(state));
        Assert.Equal(43, state.Length);
        Assert.NotEqual(state, LinkState.New());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(state))), LinkState.Hash(state));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAé")]
    public void Anything_not_shaped_like_a_state_is_refused_before_the_store_is_asked(string? state) =>
        Assert.False(LinkState.IsWellFormed(state));

    [Theory]
    [InlineData("signin", "203.0.113.7")]
    [InlineData("reset", "::ffff:203.0.113.7")]
    [InlineData("emailchange", "2001:db8::1")]
    [InlineData("paymethods", null)]
    [InlineData("statements", "203.0.113.7")]
    public void A_page_limit_per_client_address_keeps_its_key(string area, string? address)
    {
        var ip = address is null ? null : IPAddress.Parse(address);
        // The key each page built by hand before: an IPv4-mapped client counts as its IPv4 address.
        var client = ip is null ? "unknown" : (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
        var before = area + "/limits/ip/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client)));

        Assert.Equal(before, SignInCounters.AddressKey(area, ip));
    }

    [Fact]
    public void An_IPv4_client_counts_as_itself_whichever_socket_it_came_through() =>
        Assert.Equal(SignInCounters.AddressKey("reset", IPAddress.Parse("203.0.113.7")), SignInCounters.AddressKey("reset", IPAddress.Parse("::ffff:203.0.113.7")));
}
