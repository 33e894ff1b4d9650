using BotRuntime.Recognition;

namespace AriaBot.Orders.PlaceOrder;

/// <summary>
/// Whether an order request names a thing: "order a pizza", "I want to order a mesh extender", "pide una pizza" do;
/// "place an order", "order some items", "quiero hacer un pedido" do not. Asked only when no visible item matched, so
/// a thing named is one the business does not sell here (unknown, inactive or hidden alike): the dialog says so and
/// shows what it does sell, and never orders anything from the words alone.
/// </summary>
public static class UnsoldThing
{
    private static readonly HashSet<string> OrderVerbs = new(StringComparer.Ordinal)
    {
        "order", "buy", "purchase", "ship", "send",
        "pedir", "pide", "pideme", "pidan", "pido", "pedidme", "comprar", "compra", "comprame", "compro", "encargar", "encarga", "enviame", "mandame",
    };

    // Words between the verb and the thing, and words that name no particular thing ("order some items").
    private static readonly HashSet<string> NoThing = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "some", "me", "us", "my", "one", "two", "three", "more", "another", "other", "new", "spare", "extra", "replacement",
        "of", "for", "from", "to", "online", "please", "now", "here", "today", "again", "too", "also", "it", "them", "one's",
        "something", "anything", "things", "thing", "stuff", "item", "items", "equipment", "hardware", "products", "product", "accessories", "order", "orders",
        "un", "una", "unos", "unas", "uno", "el", "la", "los", "las", "algo", "alguno", "alguna", "algunos", "algunas", "mas", "otro", "otra", "otros", "otras",
        "nuevo", "nueva", "nuevos", "nuevas", "de", "del", "para", "por", "favor", "ahora", "aqui", "hoy", "tambien", "lo", "los", "me", "nos", "mi", "mis",
        "articulo", "articulos", "cosa", "cosas", "material", "equipo", "equipos", "productos", "producto", "accesorios", "pedido", "pedidos", "repuesto",
    };

    /// <summary>True when a word after an order verb names something (digits and the words above aside).</summary>
    public static bool IsNamedIn(string? text)
    {
        var words = TextFolding.Tokenize(text ?? string.Empty).Select(t => t.Text).ToList();
        var verb = words.FindIndex(OrderVerbs.Contains);
        return verb >= 0 && words.Skip(verb + 1).Any(word => !NoThing.Contains(word) && !word.All(char.IsDigit));
    }
}
