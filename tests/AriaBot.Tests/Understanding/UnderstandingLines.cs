using AriaBot.Language;
using AriaBot.Understanding;
using BotRuntime.Recognition;

namespace AriaBot.Tests.Understanding;

/// <summary>
/// The lines the understander's answers are pinned on (<see cref="FastPathOracleTests"/>, <see cref="SharedUnderstanderTests"/>,
/// <see cref="EntityCueTests"/>, the stage profile): the sandbox's catalog as the bot sees it and lines that stress one
/// stage each.
/// </summary>
internal static class UnderstandingLines
{
    /// <summary>The sandbox's catalog as the bot sees it (names, Spanish synonyms, sizes in descriptions), plus a few names that collide.</summary>
    internal static readonly IReadOnlyList<NamedItem> Catalog =
    [
        new NamedItem("BASIC", "Basic") { Kind = NamedItem.PlanKind, Description = "Fibre 100 Mb/s, 50 GB cloud storage", SynonymsByLocale = Spanish("básico") },
        new NamedItem("STANDARD", "Standard") { Kind = NamedItem.PlanKind, Description = "Fibre 500 Mb/s, 200 GB cloud storage", SynonymsByLocale = Spanish("estándar") },
        new NamedItem("PREMIUM", "Premium") { Kind = NamedItem.PlanKind, Description = "Fibre 1 Gb/s, 1 TB cloud storage" },
        new NamedItem("EXTRA_STORAGE", "Extra Storage (100 GB)") { Kind = NamedItem.PlanKind, Description = "100 GB more cloud storage per unit.", SynonymsByLocale = Spanish("almacenamiento extra", "almacenamiento adicional") },
        new NamedItem("PRIORITY_SUPPORT", "Priority Support") { Kind = NamedItem.PlanKind, SynonymsByLocale = Spanish("soporte prioritario", "asistencia prioritaria") },
        new NamedItem("STATIC_IP", "Static IP Address", ["fixed ip"]) { Kind = NamedItem.PlanKind, SynonymsByLocale = Spanish("ip fija", "ip estática") },
        new NamedItem("RTR-AX3000", "Wi-Fi 6 Router") { Kind = NamedItem.ItemKind, Description = "Dual-band AX3000 router", SynonymsByLocale = Spanish("enrutador") },
        new NamedItem("HDS-USB-200", "USB Headset", ["headphones"]) { Kind = NamedItem.ItemKind, SynonymsByLocale = Spanish("auriculares", "cascos") },
        new NamedItem("CBL-CAT6-5M", "Ethernet Cable 5 m") { Kind = NamedItem.ItemKind, Description = "Cat 6 patch cable." },
        new NamedItem("plan-gold", "Gold", ["Oro"]) { Kind = NamedItem.PlanKind },
        new NamedItem("plan-gold-plus", "Gold Plus") { Kind = NamedItem.PlanKind },
        new NamedItem("other", "Data 100") { Kind = "bundle" },
    ];

    private static Dictionary<string, IReadOnlyList<string>> Spanish(params string[] names) => new() { ["es-ES"] = names };

    /// <summary>Lines that stress one stage each: secrets, numbers in words, dates without digits, sizes, typos, markers, odd characters.</summary>
    internal static readonly (string Text, string Locale)[] Tricky =
    [
        ("", "en-US"), ("   ", "es-ES"), ("hi", "en-US"), ("hola", "es-ES"), ("help", "en-US"), ("?!", "en-US"), ("blorp zzk", "en-US"),
        ("my card is 4111 1111 1111 1111 exp 12/29 cvv 123", "en-US"), ("mi tarjeta es 4111-1111-1111-1111 y el cvv 123", "es-ES"),
        ("my password is hunter2", "en-US"), ("mi contraseña es Secreta123", "es-ES"), ("[card number removed] pay it", "en-US"),
        ("next friday at 5pm", "en-US"), ("el próximo viernes a las 5", "es-ES"), ("tomorrow", "en-US"), ("pasado mañana", "es-ES"),
        ("in three weeks", "en-US"), ("dentro de dos semanas", "es-ES"), ("on christmas eve", "en-US"), ("since March", "en-US"),
        ("desde marzo", "es-ES"), ("last month's invoice", "en-US"), ("la factura de ayer", "es-ES"), ("tonight", "en-US"),
        ("pay fifty dollars", "en-US"), ("pay $50 on friday", "en-US"), ("paga cincuenta euros", "es-ES"), ("quiero pagar 42,50 €", "es-ES"),
        ("pay -$5", "en-US"), ("pay minus 5 dollars", "en-US"), ("I want one more seat", "en-US"), ("the second one", "en-US"),
        ("add a dozen seats", "en-US"), ("one", "en-US"), ("una licencia más", "es-ES"), ("quiero una", "es-ES"), ("3 or 4 seats", "en-US"),
        ("mail ada@example.com or call 555-0100", "en-US"), ("mi correo es ana@ejemplo.es y mi móvil 612 345 678", "es-ES"),
        ("call me at +34 612 345 678", "en-US"), ("the 1 GB plan", "en-US"), ("quiero 100 megas", "es-ES"), ("1TB please", "en-US"),
        ("500 Mb/s", "en-US"), ("cancel premium", "en-US"), ("please cancel the gold plan", "en-US"), ("cancela el oro", "es-ES"),
        ("switch me to premum", "en-US"), ("cámbiame al plan Premium con 3 licencias", "es-ES"), ("gold", "en-US"), ("GOLD. three seats.", "en-US"),
        ("add 2 extra storage", "en-US"), ("pon el almacenamiento extra en 5", "es-ES"), ("<PLAN> <NUM> <ITEM>", "en-US"),
        ("buy a usb headset and two cables", "en-US"), ("quiero unos cascos", "es-ES"), ("what's my balance?", "en-US"), ("¿cuánto debo?", "es-ES"),
        ("don't cancel", "en-US"), ("CANCELAR", "es-ES"), ("Ñandú über straße", "es-ES"), ("emoji 😀 test 🎉", "en-US"),
        ("tab\tand\nnewline", "en-US"), ("3,5", "es-ES"), ("1,000 seats", "en-US"), ("zero", "en-US"), ("twenty-one users", "en-US"),
        ("Switch Plan", "en-US"), ("Cambiar de plan", "es-ES"), ("what is the weather like", "en-US"), ("cuéntame un chiste", "es-ES"),
        ("show my payments since March 3rd 2026", "en-US"), ("order 3 routers for delivery on monday", "en-US"),
        ("at noon", "en-US"), ("ahora mismo", "es-ES"), ("every week", "en-US"), ("for two hours", "en-US"), ("a las 10 y media", "es-ES"),
    ];

    internal static IEnumerable<string> EntityLines(BotCulture culture) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Understanding", "HeldOut", $"Entities.{culture.Name}.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('|')[0].Trim());

    /// <summary>
    /// The lines of a locale pinned by the golden file, in its order: every training and held-out line without a
    /// catalog, then the entity, held-out and tricky lines with the sandbox's catalog.
    /// </summary>
    internal static IEnumerable<(string Text, bool WithCatalog)> Pinned(IntentExamples examples, BotCulture culture)
    {
        var bare = examples.For(culture).Select(e => e.Text).Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text));
        var withCatalog = EntityLines(culture)
            .Concat(IntentAccuracyTests.HeldOut(culture).Select(h => h.Text))
            .Concat(Tricky.Where(t => t.Locale == culture.Name).Select(t => t.Text));
        return bare.Select(t => (t, false)).Concat(withCatalog.Select(t => (t, true)));
    }
}
