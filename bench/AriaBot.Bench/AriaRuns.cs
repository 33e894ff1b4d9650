using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// AriaBot itself under closed-loop load: unsigned turns, a signed-in plan switch (preview + confirm) and a one-time
/// payment (card + confirm), over <c>/api/messages</c> expectReplies or over Direct Line. Signed-in users each sign in
/// once, untimed, with an account of their own from the bench seed (<see cref="WriteSeed"/>): user
/// <c>bench-NNNN</c>, password <c>bench-pass-NNNN</c>, from <c>--first-account</c> on, so no two runs of one sandbox
/// share an account and every plan switch starts from the seed's plan.
/// </summary>
internal static class AriaRuns
{
    /// <summary>The seed's accounts are copies of the demo "bob": Basic plan, 38.00 due, MasterCard ending 5454.</summary>
    private static readonly string[] Plans = ["Premium", "Basic"];

    public static Task<int> RunAsync(Options options)
    {
        var url = new Uri(options.Get("url", "http://127.0.0.1:5180"));
        var users = options.Int("users", 16);
        var flow = options.Get("flow", "unsigned");
        var directLine = options.Get("ingress", "messages") == "directline";
        var secret = options.Get("secret", string.Empty);
        var firstAccount = options.Int("first-account", 0);
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = users * 2, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var run = Guid.NewGuid().ToString("N")[..8];

        Func<CancellationToken, Task<IChat>> Open(int user) => directLine
            ? async token => await DirectLineChat.StartAsync(client, url, secret, $"bench-{run}-{user}", token).ConfigureAwait(false)
            : _ => Task.FromResult<IChat>(new ExpectRepliesChat(client, url, $"bench-{run}-{user}", $"user-{run}-{user}"));
        Func<IChat, CancellationToken, Task> SignInAs(int user)
        {
            var account = AccountName(firstAccount + user);
            return (chat, token) => SignIn.SignInAsync(chat, client, url, account, Password(firstAccount + user), token);
        }

        return ClosedLoop.RunAsync(options, user => flow switch
        {
            "unsigned" => new UnsignedUser(Open(user)),
            "planswitch" => new PlanSwitchUser(Open(user), SignInAs(user), Plans),
            "payment" => new PaymentUser(Open(user), SignInAs(user)),
            _ => throw new ArgumentException($"unknown flow {flow}"),
        });
    }

    private static string AccountName(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index:D4}");

    private static string Password(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-pass-{index:D4}");

    /// <summary>
    /// Writes a sandbox seed (Aria:SeedFile): the demo seed as it is, plus --accounts copies of its "bob" account, each
    /// with its own account number, user id, password, client account id and e-mail.
    /// </summary>
    public static int WriteSeed(Options options)
    {
        var seed = JsonNode.Parse(File.ReadAllText(options.Get("from", "src/AriaSandbox/Seed/demo-seed.json")))!.AsObject();
        var accounts = seed["accounts"]!.AsArray();
        var template = accounts.First(account => account!["user_id"]!.GetValue<string>() == "bob")!;
        var count = options.Int("accounts", 400);
        for (var i = 0; i < count; i++)
        {
            var copy = template.DeepClone().AsObject();
            copy["acct_no"] = 5_000_000 + i;
            copy["client_acct_id"] = string.Create(CultureInfo.InvariantCulture, $"BENCH-{i:D4}");
            copy["user_id"] = AccountName(i);
            copy["password"] = Password(i);
            copy["description"] = "Bench copy of bob.";
            copy["contact"]!["email"] = string.Create(CultureInfo.InvariantCulture, $"bench{i:D4}@example.com");
            accounts.Add(copy);
        }
        File.WriteAllText(options.Get("out", "bench-seed.json"), seed.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        return 0;
    }
}
