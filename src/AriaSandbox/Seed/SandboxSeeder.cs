using System.Text.Json;
using Aria.Sandbox.Billing;
using Aria.Sandbox.State;
using Microsoft.Extensions.Options;

namespace Aria.Sandbox.Seed;

/// <summary>
/// Loads the demo data (the embedded <c>demo-seed.json</c>, or <see cref="AriaSandboxOptions.SeedFile"/>)
/// into <see cref="SandboxState"/>, dated from the sandbox clock: each account gets its plans on their
/// bill days, the months of invoices, statements and payments its seed asks for, and its orders.
/// </summary>
internal sealed class SandboxSeeder(SandboxState state, SandboxClock time, IOptions<AriaSandboxOptions> options)
{
    public IReadOnlyList<DemoAccount> DemoAccounts { get; private set; } = [];

    /// <summary>Seeds on first use; the caller holds the state lock.</summary>
    public void EnsureSeeded()
    {
        if (state.Clients.Count == 0)
        {
            Seed();
        }
    }

    public void Reset()
    {
        lock (state.Gate)
        {
            state.Clear();
            Seed();
        }
    }

    private void Seed()
    {
        var seed = Load();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var c = seed.Client;
        state.Clients.Add(new SandboxClient
        {
            ClientNo = c.ClientNo,
            AuthKey = c.AuthKey,
            Name = c.Name,
            AllowedIpAddresses = [.. c.AllowedIpAddresses],
            SessionMinutes = c.SessionMinutes,
            ProrateByDefault = c.ProrateByDefault,
            AutoBillOrders = c.AutoBillOrders,
            Currency = c.Currency,
        });
        state.Plans.AddRange(seed.Plans.Select(p => new Plan
        {
            PlanNo = p.PlanNo,
            ClientPlanId = p.ClientPlanId,
            Name = p.Name,
            Description = p.Description,
            IsSupplemental = p.Supplemental,
            Displayed = p.Display,
            ParentPlanNos = [.. p.Parents],
            RateSchedules = [.. p.Schedules.Select(s => new RateSchedule
            {
                ScheduleNo = s.ScheduleNo,
                ClientRateScheduleId = s.ClientRateScheduleId,
                Name = s.Name,
                RatePerUnit = s.Rate,
                IntervalMonths = s.IntervalMonths,
                IsDefault = s.Default,
                Currency = c.Currency,
            })],
        }));
        state.Items.AddRange(seed.Items.Select(i => new InventoryItem
        {
            ItemNo = i.ItemNo,
            ClientSku = i.ClientSku,
            Label = i.Label,
            Description = i.Description,
            Price = i.Price,
            Active = i.Active,
            StockLevel = i.StockLevel,
        }));

        var demo = new List<DemoAccount>();
        foreach (var seedAccount in seed.Accounts)
        {
            SeedAccount(seedAccount, today, c.Currency);
            demo.Add(new DemoAccount(seedAccount.UserId, seedAccount.Password, seedAccount.AcctNo, seedAccount.Description));
        }

        DemoAccounts = demo;
        state.BilledThrough = today;
    }

    private void SeedAccount(SeedAccount s, DateOnly today, string currency)
    {
        var (salt, hash) = SandboxState.NewHash(s.Password);
        Contact NewContact() => new()
        {
            ContactNo = state.NextId(),
            FirstName = s.Contact.FirstName,
            LastName = s.Contact.LastName,
            CompanyName = s.Contact.CompanyName,
            Address1 = s.Contact.Address1,
            City = s.Contact.City,
            StateProv = s.Contact.StateProv,
            CountryCd = s.Contact.CountryCd,
            PostalCd = s.Contact.PostalCd,
            Phone = s.Contact.Phone,
            Email = s.Contact.Email,
        };

        var group = new BillingGroup
        {
            BillingGroupNo = state.NextId(),
            Name = "Primary billing group",
            BillingContact = NewContact(),
            StatementContact = NewContact(),
        };
        var account = new Account
        {
            AcctNo = s.AcctNo,
            ClientAcctId = s.ClientAcctId,
            UserId = s.UserId,
            PasswordSalt = salt,
            PasswordHash = hash,
            StatusCd = 1,
            Currency = currency,
            AccountContact = NewContact(),
            BillingGroups = [group],
            DemoDescription = s.Description,
            DemoPassword = s.Password,
        };
        foreach (var card in s.Cards)
        {
            var suffix = card.Number[^4..];
            account.PaymentMethods.Add(new PaymentMethod
            {
                PaymentMethodNo = state.NextId(),
                Suffix = suffix,
                ExpireMonth = card.ExpireMonth,
                ExpireYear = today.Year + card.ExpireYearsAhead,
                CardType = card.Number[0] == '5' ? "MasterCard" : "Visa",
                Name = $"{(card.Number[0] == '5' ? "MasterCard" : "Visa")} ending {suffix}",
                BillingGroupNo = group.BillingGroupNo,
                Behaviour = suffix switch { "0002" => CardBehaviour.DeclineDoNotHonor, "9995" => CardBehaviour.DeclineInsufficientFunds, _ => CardBehaviour.Approve },
            });
        }

        group.PrimaryPaymentMethodNo = account.PaymentMethods.FirstOrDefault()?.PaymentMethodNo;
        state.Accounts.Add(account);

        var months = Math.Max(1, s.HistoryMonths);
        var masters = new List<PlanInstance>();
        // Which seed entry each instance came from, for history that differs from today (an add-on added lately, units changed).
        var seeds = new Dictionary<long, SeedPlanInstance>();
        foreach (var p in s.Plans)
        {
            var start = Periods.CurrentStart(today, p.BillDay);
            var master = NewInstance(account, p, start, null, s.ClientAcctId);
            masters.Add(master);
            seeds[master.PlanInstanceNo] = p;
            foreach (var supp in p.Supplementals)
            {
                seeds[NewInstance(account, supp, start, master, s.ClientAcctId).PlanInstanceNo] = supp;
            }
        }

        account.StartDate = masters.Count == 0 ? today : masters.Min(m => Periods.AddMonths(m.PeriodStart, -(months - 1), m.BillDay));
        foreach (var instance in state.InstancesOf(account.AcctNo))
        {
            instance.PlanDate = account.StartDate;
            instance.StatusDate = account.StartDate;
        }

        // Events in date order, so that statements carry the right balance forward.
        var events = new List<(DateOnly Date, int Order, Action Run)>();
        foreach (var master in masters)
        {
            for (var k = months - 1; k >= 0; k--)
            {
                var periodStart = Periods.AddMonths(master.PeriodStart, -k, master.BillDay);
                var periodEnd = Periods.AddMonths(periodStart, 1, master.BillDay);
                var paid = k >= s.UnpaidMonths;
                var m = master;
                var monthsAgo = k;
                events.Add((periodStart, 0, () =>
                {
                    var lines = PlanChangeEngine.WithDescendants(state, m)
                        .Where(i => seeds.GetValueOrDefault(i.PlanInstanceNo)?.AddedMonthsAgo is not { } added || monthsAgo <= added)
                        .Select((i, n) => RecurringLine(i, n + 1, periodStart, periodEnd, UnitsThen(seeds.GetValueOrDefault(i.PlanInstanceNo), monthsAgo)))
                        .Where(l => l.Amount != 0)
                        .ToList();
                    if (lines.Count > 0)
                    {
                        Ledger.Bill(state, account, m.PlanInstanceNo, periodStart, periodStart, periodEnd.AddDays(-1), lines);
                    }
                }));
                if (paid && account.PaymentMethods.Count > 0)
                {
                    var payDay = periodStart.AddDays(2) > today ? today : periodStart.AddDays(2);
                    events.Add((payDay, 1, () =>
                    {
                        var due = state.Invoices.Where(i => i.AcctNo == account.AcctNo && i.BillDate == periodStart && i.MasterPlanInstanceNo == m.PlanInstanceNo).Sum(i => i.Total - i.PaidAmount);
                        if (due > 0)
                        {
                            Ledger.Pay(state, account, due, account.PaymentMethods[0], null, null, payDay);
                        }
                    }));
                }
            }
        }

        foreach (var order in s.Orders)
        {
            var day = today.AddDays(-order.DaysAgo);
            events.Add((day, 2, () => SeedOrder(account, masters[0], order, day)));
        }

        foreach (var (_, _, run) in events.OrderBy(e => e.Date).ThenBy(e => e.Order))
        {
            run();
        }

        account.StatusCd = s.StatusCd;
    }

    /// <summary>The units a plan had <paramref name="monthsAgo"/> months ago, when the seed says they changed since; else null (as now).</summary>
    private static decimal? UnitsThen(SeedPlanInstance? seed, int monthsAgo) =>
        seed is { UnitsBefore: { } before, UnitsChangedMonthsAgo: { } changed } && monthsAgo > changed ? before : null;

    /// <summary>A past period's recurring line for an instance as it is now, or with the units it had then.</summary>
    private InvoiceLine RecurringLine(PlanInstance instance, int lineNo, DateOnly from, DateOnly next, decimal? unitsThen = null)
    {
        var current = PlanChangeEngine.Recurring(state, instance, lineNo);
        if (unitsThen is { } units)
        {
            current = new InvoiceLine
            {
                LineNo = current.LineNo, Description = current.Description, ServiceNo = current.ServiceNo, ServiceName = current.ServiceName,
                Units = units, RatePerUnit = current.RatePerUnit, Amount = Money.Round(current.RatePerUnit * units),
                PlanNo = current.PlanNo, PlanName = current.PlanName, ClientPlanId = current.ClientPlanId,
            };
        }
        return new InvoiceLine
        {
            LineNo = current.LineNo,
            Description = current.Description,
            ServiceNo = current.ServiceNo,
            ServiceName = current.ServiceName,
            Units = current.Units,
            RatePerUnit = current.RatePerUnit,
            Amount = current.Amount,
            ProrationFactor = 1,
            From = from,
            Thru = next.AddDays(-1),
            PlanNo = current.PlanNo,
            PlanName = current.PlanName,
            ClientPlanId = current.ClientPlanId,
        };
    }

    private PlanInstance NewInstance(Account account, SeedPlanInstance p, DateOnly periodStart, PlanInstance? parent, string clientAcctId)
    {
        var plan = state.PlanByNo(p.PlanNo);
        var number = state.NextId();
        var instance = new PlanInstance
        {
            PlanInstanceNo = number,
            ClientPlanInstanceId = $"{clientAcctId}-{plan.ClientPlanId}",
            AcctNo = account.AcctNo,
            PlanNo = plan.PlanNo,
            RateScheduleNo = plan.DefaultSchedule.ScheduleNo,
            Units = p.Units,
            ParentPlanInstanceNo = parent?.PlanInstanceNo,
            MasterPlanInstanceNo = parent?.MasterPlanInstanceNo ?? number,
            BillingGroupNo = account.BillingGroups[0].BillingGroupNo,
            BillDay = parent?.BillDay ?? p.BillDay,
            PlanDate = periodStart,
            StatusDate = periodStart,
            PeriodStart = periodStart,
            NextBillDate = Periods.AddMonths(periodStart, plan.DefaultSchedule.IntervalMonths, parent?.BillDay ?? p.BillDay),
        };
        state.PlanInstances.Add(instance);
        return instance;
    }

    private void SeedOrder(Account account, PlanInstance master, SeedOrder seedOrder, DateOnly day)
    {
        var lines = seedOrder.Lines.Select((l, n) =>
        {
            var item = state.Items.First(i => i.ClientSku == l.ClientSku);
            return new OrderLine { LineNo = n + 1, ClientSku = item.ClientSku, Label = item.Label, Description = item.Description, Units = l.Units, UnitAmount = item.Price, LineAmount = Money.Round(item.Price * l.Units) };
        }).ToList();
        var invoice = Ledger.Bill(state, account, master.PlanInstanceNo, day, day, day, [.. lines.Select(l => new InvoiceLine
        {
            LineNo = l.LineNo, Description = $"{l.Label} x {l.Units:0.##}", Units = l.Units, RatePerUnit = l.UnitAmount, Amount = l.LineAmount,
            ServiceNo = state.Items.First(i => i.ClientSku == l.ClientSku).ServiceNo, ServiceName = $"{l.Label} sale", From = day, Thru = day, ClientSku = l.ClientSku,
        })]);
        var payment = account.PaymentMethods.Count > 0 ? Ledger.Pay(state, account, invoice.Total, account.PaymentMethods[0], null, null, day) : null;
        state.Orders.Add(new OrderRecord
        {
            OrderNo = state.NextId(),
            AcctNo = account.AcctNo,
            ClientOrderId = seedOrder.ClientOrderId,
            PlanInstanceNo = master.PlanInstanceNo,
            ClientPlanInstanceId = master.ClientPlanInstanceId,
            CreateDate = day,
            UpdateDate = day,
            StatusLabel = "Billed",
            InvoiceNo = invoice.InvoiceNo,
            TransactionId = payment?.TransactionId,
            Lines = lines,
        });
    }

    private SeedFile Load()
    {
        var path = options.Value.SeedFile;
        using var stream = string.IsNullOrWhiteSpace(path)
            ? typeof(SandboxSeeder).Assembly.GetManifestResourceStream("Aria.Sandbox.Seed.demo-seed.json")
                ?? throw new InvalidOperationException("The embedded demo seed is missing.")
            : File.OpenRead(path);
        return JsonSerializer.Deserialize<SeedFile>(stream) ?? throw new InvalidOperationException("The Aria sandbox seed file is empty.");
    }
}

/// <summary>A demo sign-in listed for people trying the bot (Development only).</summary>
public sealed record DemoAccount(string UserId, string Password, long AcctNo, string Description);
