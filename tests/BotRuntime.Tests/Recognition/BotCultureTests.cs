using BotRuntime.Recognition;

namespace BotRuntime.Tests.Recognition;

public sealed class BotCultureTests
{
    [Theory]
    [InlineData("en", "en-US")]
    [InlineData("en-us", "en-US")]
    [InlineData("en-GB", "en-US")]
    [InlineData("es", "es-ES")]
    [InlineData("es-MX", "es-ES")]
    [InlineData("es-es", "es-ES")]
    [InlineData("ES", "es-ES")]
    [InlineData("es_AR", "es-ES")]
    [InlineData(null, "en-US")]
    [InlineData("", "en-US")]
    [InlineData("   ", "en-US")]
    [InlineData("fr-FR", "en-US")]
    [InlineData("x-💥-y", "en-US")]
    [InlineData("-es", "en-US")]
    [InlineData(" es-MX ", "es-ES")]
    [InlineData("es.UTF-8", "es-ES")]
    [InlineData("es@euro", "es-ES")]
    [InlineData("ESPAÑOL", "es-ES")]
    [InlineData("Español-AR", "es-ES")]
    [InlineData("espanol", "es-ES")]
    [InlineData("Spanish", "es-ES")]
    [InlineData("spa_PE", "es-ES")]
    [InlineData("esp", "en-US")]
    [InlineData("e", "en-US")]
    public void Resolve_maps_channel_locales_to_a_supported_culture(string? locale, string expected)
    {
        Assert.Equal(expected, BotCulture.Resolve(locale).Name);
    }

    [Fact]
    public void Exact_lookup_accepts_only_supported_names()
    {
        Assert.True(BotCulture.TryGetExact("es-es", out var spanish));
        Assert.Same(BotCulture.SpanishSpain, spanish);
        Assert.False(BotCulture.TryGetExact("es-MX", out _));
    }
}
