using AriaBot.Conversation;
using AriaBot.Understanding;

namespace AriaBot.Account.Contacts;

/// <summary>The contact update as the shell offers it (registered with <c>AddUseCase</c>).</summary>
public static class UpdateContactUseCase
{
    /// <summary>Asked for by <see cref="Intent.UpdateContact"/>, switched off with <c>SelfService:Sections:Contacts</c>.</summary>
    /// <remarks>Pre-filled from free text: "change my billing phone", "cambiar el código postal del extracto".</remarks>
    public static UseCase<UpdateContactDialog> Declaration { get; } = new(
        Intent.UpdateContact,
        sections => sections.Contacts,
        understanding => new UpdateContactOptions { Kind = ContactWording.KindIn(understanding.Text), Field = ContactWording.FieldIn(understanding.Text) });
}

/// <summary>The contact and detail a message names, by its words in English or Spanish; null when it names none.</summary>
public static class ContactWording
{
    private static readonly (string Word, ContactField Field)[] FieldWords =
    [
        ("e-mail", ContactField.Email), ("email", ContactField.Email), ("correo", ContactField.Email),
        ("phone", ContactField.Phone), ("teléfono", ContactField.Phone), ("telefono", ContactField.Phone), ("móvil", ContactField.Phone),
        ("postal", ContactField.PostalCode), ("zip", ContactField.PostalCode), ("postcode", ContactField.PostalCode),
        ("country", ContactField.Country), ("país", ContactField.Country), ("pais", ContactField.Country),
    ];

    private static readonly (string Word, ContactKind Kind)[] KindWords =
    [
        ("billing", ContactKind.Billing), ("facturación", ContactKind.Billing), ("facturacion", ContactKind.Billing),
        ("statement", ContactKind.Statement), ("extracto", ContactKind.Statement),
    ];

    public static ContactField? FieldIn(string? text) =>
        FieldWords.FirstOrDefault(pair => text?.Contains(pair.Word, StringComparison.OrdinalIgnoreCase) == true) is { Word: not null } hit ? hit.Field : null;

    public static ContactKind? KindIn(string? text) =>
        KindWords.FirstOrDefault(pair => text?.Contains(pair.Word, StringComparison.OrdinalIgnoreCase) == true) is { Word: not null } hit ? hit.Kind : null;
}
