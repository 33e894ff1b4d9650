using Aria.Sandbox.State;

namespace Aria.Sandbox.Events;

/// <summary>One event before it becomes a document: which account, which class (A or T), what happened.</summary>
internal sealed record RawEvent(long AcctNo, char Class, char Action, int EventId, string Label)
{
    /// <summary>For class T: the invoice or payment the event is about.</summary>
    public Invoice? Invoice { get; init; }

    public LedgerTransaction? Payment { get; init; }

    /// <summary>For the inferred failed-collection event: what was asked and why the processor refused.</summary>
    public FailedCollection? Failure { get; init; }
}

internal sealed record FailedCollection(long InvoiceNo, decimal Amount, string Currency, DateOnly Date, long? PaymentMethodNo, string ProcStatusCode, string ProcStatusText);

/// <summary>
/// What the events are computed from: the parts of the state an event reports on, copied before a step
/// (a call, or simulated time passing) so that the step's changes can be read off afterwards. Comparing
/// rather than hooking every call keeps the call handlers free of notification code and cannot miss a
/// change a handler makes.
/// </summary>
internal sealed class EventSnapshot
{
    /// <summary>A card is "pending expiration" from this many days before the last day of its expiry month (the sandbox's window; Aria's is configurable per client).</summary>
    public const int CardExpiryWindowDays = 30;

    private readonly Dictionary<long, (long AcctNo, bool Master, long PlanNo, long Schedule, decimal Units, int Status)> _instances = [];
    private readonly HashSet<long> _queue = [];
    private readonly Dictionary<long, (bool Disabled, int? Month, int? Year, bool Primary)> _methods = [];
    private readonly Dictionary<long, string> _billingContacts = [];
    private readonly HashSet<long> _cardsInWindow = [];
    private readonly HashSet<long> _payments = [];

    private EventSnapshot()
    {
    }

    public HashSet<long> InvoiceNos { get; } = [];

    public static EventSnapshot Take(SandboxState state, DateOnly today)
    {
        var s = new EventSnapshot();
        foreach (var p in state.PlanInstances)
        {
            s._instances[p.PlanInstanceNo] = (p.AcctNo, p.IsMaster, p.PlanNo, p.RateScheduleNo, p.Units, p.StatusCd);
        }

        s._queue.UnionWith(state.Queue.Select(q => q.QueueId));
        foreach (var account in state.Accounts)
        {
            foreach (var m in account.PaymentMethods)
            {
                s._methods[m.PaymentMethodNo] = (m.Disabled, m.ExpireMonth, m.ExpireYear, IsPrimary(account, m));
            }

            foreach (var g in account.BillingGroups)
            {
                s._billingContacts[g.BillingGroupNo] = Fingerprint(g.BillingContact);
            }

            s._cardsInWindow.UnionWith(CardsInWindow(account, today).Select(m => m.PaymentMethodNo));
        }

        s.InvoiceNos.UnionWith(state.Invoices.Select(i => i.InvoiceNo));
        s._payments.UnionWith(state.Transactions.Where(t => t.Type == 3).Select(t => t.TransactionId));
        return s;
    }

    /// <summary>
    /// The events of everything that changed since this snapshot, account class first, then financial
    /// transactions, each in the order it happened. <paramref name="notifiedCards"/> remembers the 714s
    /// already sent, so a card is reported once.
    /// </summary>
    public List<RawEvent> Changes(SandboxState state, DateOnly today, HashSet<long> notifiedCards)
    {
        var events = new List<RawEvent>();
        var seen = new HashSet<(long, int)>();
        void Add(long acctNo, long subject, char action, int id, string label)
        {
            if (seen.Add((subject, id)))
            {
                events.Add(new RawEvent(acctNo, 'A', action, id, label));
            }
        }

        foreach (var q in state.Queue.Where(q => !_queue.Contains(q.QueueId)))
        {
            var instance = state.PlanInstances.FirstOrDefault(p => p.PlanInstanceNo == q.PlanInstanceNo);
            if (instance is null)
            {
                continue;
            }

            // An Assign is queued on the parent for a new supplemental plan.
            var master = q.Kind != QueuedChangeKind.Assign && instance.IsMaster;
            var (id, label) = q.Kind switch
            {
                QueuedChangeKind.Cancel => EventCatalog.QueuedDeassignment(master),
                QueuedChangeKind.Update => EventCatalog.QueuedModification(master),
                _ => EventCatalog.QueuedAssignment(master),
            };
            Add(instance.AcctNo, q.PlanInstanceNo, 'M', id, label);
        }

        foreach (var p in state.PlanInstances)
        {
            if (!_instances.TryGetValue(p.PlanInstanceNo, out var old))
            {
                if (p.IsLive)
                {
                    var (id, label) = EventCatalog.Assigned(p.IsMaster);
                    Add(p.AcctNo, p.PlanInstanceNo, 'A', id, label);
                }

                continue;
            }

            if (old.PlanNo != p.PlanNo)
            {
                var (id, label) = EventCatalog.Assigned(p.IsMaster);
                Add(p.AcctNo, p.PlanInstanceNo, 'A', id, label);
            }
            else if (old.Status != p.StatusCd && p.StatusCd == 2)
            {
                var (id, label) = EventCatalog.QueuedDeassignment(p.IsMaster);
                Add(p.AcctNo, p.PlanInstanceNo, 'M', id, label);
            }
            else if (old.Status != p.StatusCd && !p.IsLive)
            {
                var (id, label) = EventCatalog.Deassigned(p.IsMaster);
                Add(p.AcctNo, p.PlanInstanceNo, 'D', id, label);
            }
            else if (old.Schedule != p.RateScheduleNo || old.Units != p.Units || old.Status != p.StatusCd)
            {
                var (id, label) = EventCatalog.Modified(p.IsMaster);
                Add(p.AcctNo, p.PlanInstanceNo, 'M', id, label);
            }
        }

        foreach (var account in state.Accounts)
        {
            foreach (var m in account.PaymentMethods)
            {
                if (!_methods.TryGetValue(m.PaymentMethodNo, out var old))
                {
                    Add(account.AcctNo, m.PaymentMethodNo, 'A', EventCatalog.PaymentMethodAdded.Id, EventCatalog.PaymentMethodAdded.Label);
                }
                else if (old != (m.Disabled, m.ExpireMonth, m.ExpireYear, IsPrimary(account, m)))
                {
                    Add(account.AcctNo, m.PaymentMethodNo, 'M', EventCatalog.PaymentMethodModified.Id, EventCatalog.PaymentMethodModified.Label);
                }
            }

            foreach (var g in account.BillingGroups)
            {
                if (_billingContacts.TryGetValue(g.BillingGroupNo, out var old) && old != Fingerprint(g.BillingContact))
                {
                    Add(account.AcctNo, g.BillingGroupNo, 'M', EventCatalog.BillingContactModified.Id, EventCatalog.BillingContactModified.Label);
                }
            }

            foreach (var card in CardsInWindow(account, today).Where(c => !_cardsInWindow.Contains(c.PaymentMethodNo)))
            {
                if (notifiedCards.Add(card.PaymentMethodNo))
                {
                    Add(account.AcctNo, card.PaymentMethodNo, 'M', EventCatalog.CardPendingExpiration.Id, EventCatalog.CardPendingExpiration.Label);
                }
            }
        }

        events.AddRange(state.Invoices.Where(i => !InvoiceNos.Contains(i.InvoiceNo))
            .Select(i => new RawEvent(i.AcctNo, 'T', 'A', EventCatalog.InvoiceCreated.Id, EventCatalog.InvoiceCreated.Label) { Invoice = i }));
        events.AddRange(state.Transactions.Where(t => t.Type == 3 && !_payments.Contains(t.TransactionId))
            .Select(t => new RawEvent(t.AcctNo, 'T', 'A', EventCatalog.PaymentCreated.Id, EventCatalog.PaymentCreated.Label) { Payment = t }));
        return events;
    }

    /// <summary>Live cards whose expiry month ends within <see cref="CardExpiryWindowDays"/> days of today (or has ended).</summary>
    internal static IEnumerable<PaymentMethod> CardsInWindow(Account account, DateOnly today) =>
        account.PaymentMethods.Where(m => m is { PayMethodType: 1, Disabled: false, ExpireMonth: >= 1 and <= 12, ExpireYear: > 0 }
            && today >= new DateOnly(m.ExpireYear!.Value, m.ExpireMonth!.Value, DateTime.DaysInMonth(m.ExpireYear.Value, m.ExpireMonth.Value)).AddDays(-CardExpiryWindowDays));

    private static bool IsPrimary(Account account, PaymentMethod method) =>
        account.BillingGroups.Any(g => g.PrimaryPaymentMethodNo == method.PaymentMethodNo);

    private static string Fingerprint(Contact c) => string.Join('\u001f',
        c.FirstName, c.MiddleInitial, c.LastName, c.CompanyName, c.Address1, c.Address2, c.Address3, c.City, c.Locality,
        c.StateProv, c.CountryCd, c.PostalCd, c.Phone, c.CellPhone, c.Email, c.Birthdate);
}
