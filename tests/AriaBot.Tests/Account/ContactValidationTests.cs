using AriaBot.Account.Contacts;

namespace AriaBot.Tests.Account;

/// <summary>What a customer types for a contact detail: normalised for Aria, or refused with its reason.</summary>
public sealed class ContactValidationTests
{
    [Theory]
    [InlineData("(512) 555-0199", "US", "+15125550199")]
    [InlineData("1 512 555 0199", "US", "+15125550199")]
    [InlineData("600 123 456", "ES", "+34600123456")]
    [InlineData("020 7946 0958", "GB", "+442079460958")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("06 1234 5678", "IT", "+390612345678")]
    [InlineData("0044 20 7946 0958", "US", "+442079460958")]
    [InlineData("+34 600-123-456", null, "+34600123456")]
    public void Phones_become_E164_using_the_contacts_country(string typed, string? country, string expected) =>
        Assert.Equal(new ContactInput(expected, ContactProblem.None), ContactValidation.Phone(typed, country));

    [Theory]
    [InlineData("555-0199", "US", ContactProblem.Phone)]
    [InlineData("call me", "US", ContactProblem.Phone)]
    [InlineData("12+34", "US", ContactProblem.Phone)]
    [InlineData("+12", "US", ContactProblem.Phone)]
    [InlineData("600 123 456", null, ContactProblem.PhoneNeedsCountryCode)]
    [InlineData("600 123 456", "ZZ", ContactProblem.PhoneNeedsCountryCode)]
    public void Unusable_phones_are_refused_with_their_reason(string typed, string? country, ContactProblem problem) =>
        Assert.Equal(problem, ContactValidation.Phone(typed, country).Problem);

    [Theory]
    [InlineData("es", "ES")]
    [InlineData("Spain", "ES")]
    [InlineData("España", "ES")]
    [InlineData("espana", "ES")]
    [InlineData("United States", "US")]
    [InlineData(" gb ", "GB")]
    public void Countries_become_ISO_2(string typed, string expected) => Assert.Equal(expected, ContactValidation.Country(typed).Value);

    [Theory]
    [InlineData("XX")]
    [InlineData("Atlantis")]
    [InlineData("USA1")]
    [InlineData("")]
    public void Unknown_countries_are_refused(string typed) => Assert.Equal(ContactProblem.Country, ContactValidation.Country(typed).Problem);

    [Theory]
    [InlineData("jane@example.com", true)]
    [InlineData("  jane.doe+bills@mail.example.co.uk ", true)]
    [InlineData("jane@example", false)]
    [InlineData("jane example.com", false)]
    [InlineData("<script>@x.com", false)]
    [InlineData("a@b@c.com", false)]
    public void Emails_are_checked_for_shape(string typed, bool accepted) => Assert.Equal(accepted, ContactValidation.Email(typed).Accepted);

    [Theory]
    [InlineData("78701", "US", "78701")]
    [InlineData("78701-1234", "US", "78701-1234")]
    [InlineData("28013", "ES", "28013")]
    [InlineData("sw1a 1aa", "GB", "SW1A 1AA")]
    [InlineData("k1a 0b1", "CA", "K1A 0B1")]
    [InlineData("1000-001", "PT", "1000-001")]
    [InlineData("101-0051", "JP", "101-0051")]
    public void Postal_codes_fit_the_country(string typed, string country, string expected) =>
        Assert.Equal(expected, ContactValidation.PostalCode(typed, country).Value);

    [Theory]
    [InlineData("7870", "US")]
    [InlineData("ABC-12", "US")]
    [InlineData("2801", "ES")]
    [InlineData("12345", "GB")]
    [InlineData("<b>", "JP")]
    public void Postal_codes_that_do_not_fit_are_refused(string typed, string country) =>
        Assert.Equal(ContactProblem.PostalCode, ContactValidation.PostalCode(typed, country).Problem);
}
