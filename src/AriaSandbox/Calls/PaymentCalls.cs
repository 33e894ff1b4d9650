using System.Text.Json.Nodes;
using Aria.Sandbox.Billing;
using Aria.Sandbox.Protocol;
using Aria.Sandbox.State;

namespace Aria.Sandbox.Calls;

/// <summary>
/// One-time payments and payment methods. The simulated processor
/// is driven by test card numbers so declines are reproducible: a card ending 0002
/// (4000 0000 0000 0002) is refused with 4011 "Do Not Honor", one ending 9995
/// (4000 0000 0000 9995) with 4001 "Insufficient funds"; any other valid card is approved.
/// Only the last four digits are kept.
/// </summary>
internal static partial class PaymentCalls
{
    public static JsonObject CollectFromAccount(CallContext ctx)
    {
        var account = ctx.Account();
        ctx.CheckReceipt();
        var amount = ctx.Input.Decimal("amount_to_collect");
        var invoices = ctx.Input.Rows("specific_invoices_list", "invoice_no")
            .Select(r => long.TryParse(r["invoice_no"], out var n) ? n : throw new AriaFault(AriaCodes.InvalidInput, "invalid invoice_no"))
            .ToList();
        if (amount is null && invoices.Count > 0)
        {
            amount = ctx.State.Invoices.Where(i => i.AcctNo == account.AcctNo && invoices.Contains(i.InvoiceNo)).Sum(i => i.Total - i.PaidAmount);
        }

        if (amount is null)
        {
            throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: amount_to_collect");
        }

        if (amount <= 0)
        {
            throw new AriaFault(AriaCodes.AmountNotPositive, "amount must be greater than zero");
        }

        // Unverified against Aria: collecting more than the balance is allowed and leaves a credit
        // balance; payments always apply oldest invoice first (payment_application_method 1, FIFO).
        return Charge(ctx, account, Money.Round(amount.Value));
    }

    public static JsonObject SettleAccountBalance(CallContext ctx)
    {
        var account = ctx.Account();
        ctx.CheckReceipt();
        var masterNo = ctx.Input.Long("master_plan_instance_no");
        var balance = masterNo is null
            ? account.Balance
            : ctx.State.Invoices.Where(i => i.AcctNo == account.AcctNo && i.MasterPlanInstanceNo == masterNo).Sum(i => i.Total - i.PaidAmount);
        if (balance == 0)
        {
            throw new AriaFault(AriaCodes.ZeroBalance, "the balance is zero: nothing to settle");
        }

        if (balance < 0)
        {
            throw new AriaFault(AriaCodes.BalanceBelowZero, "the balance is below zero: nothing to settle");
        }

        return Charge(ctx, account, balance);
    }

    private static JsonObject Charge(CallContext ctx, Account account, decimal amount)
    {
        PaymentMethod? method = null;
        string suffix;
        CardBehaviour behaviour;
        if (ctx.Input.Long("alt_pay_method") == 1)
        {
            // A one-time card: charged, never stored.
            var card = Card.Validate(ctx, "cc_number", "cc_expire_mm", "cc_expire_yyyy");
            suffix = card.Suffix;
            behaviour = card.Behaviour;
        }
        else
        {
            method = Method(ctx, account);
            suffix = method.Suffix;
            behaviour = method.Behaviour;
        }

        var decline = Decline(behaviour);
        if (decline is not null)
        {
            // A declined charge changes nothing and consumes no receipt id (unverified against Aria).
            return new JsonObject { ["error_code"] = decline.Value.Code, ["error_msg"] = decline.Value.Message }
                .Put("proc_status_code", decline.Value.ProcCode)
                .Put("proc_status_text", decline.Value.ProcText)
                .Put("collection_errors", new JsonArray(new JsonObject { ["collection_error_code"] = decline.Value.Code, ["collection_error_msg"] = decline.Value.Message }));
        }

        var payment = Ledger.Pay(ctx.State, account, amount, method, suffix, ctx.ReceiptId, ctx.Today);
        ctx.RecordReceipt();
        return CallContext.Ok()
            .Put("transaction_id", payment.TransactionId)
            .Put("proc_status_code", "00")
            .Put("proc_status_text", "Approved")
            .Put("proc_payment_id", $"SBX-{payment.TransactionId}")
            .Put("proc_auth_code", $"A{payment.TransactionId % 100000:00000}");
    }

    private static PaymentMethod Method(CallContext ctx, Account account)
    {
        var number = ctx.Input.Long("payment_method_no");
        var clientId = ctx.Input.NonEmpty("client_payment_method_id");
        if (number is not null || clientId is not null)
        {
            return account.PaymentMethods.FirstOrDefault(m => !m.Disabled && (number is not null ? m.PaymentMethodNo == number : m.ClientPaymentMethodId == clientId))
                ?? throw new AriaFault(AriaCodes.InvalidPayMethod, "invalid payment method");
        }

        var primary = account.BillingGroups.Select(g => g.PrimaryPaymentMethodNo).FirstOrDefault(n => n is not null);
        return account.PaymentMethods.FirstOrDefault(m => !m.Disabled && m.PaymentMethodNo == primary)
            ?? throw new AriaFault(AriaCodes.PaymentMethodRequired, "a payment method is required");
    }

    public static JsonObject GetPaymentMethodsAndTerms(CallContext ctx)
    {
        var account = ctx.Account();
        var number = ctx.Input.Long("payment_method_no");
        var status = ctx.Input.Long("filter_status");
        var methods = account.PaymentMethods
            .Where(m => number is null || m.PaymentMethodNo == number)
            .Where(m => status is null || (status == 1) == !m.Disabled);
        return CallContext.Ok()
            .Put("account_payment_methods", Json.Array(methods, m =>
            {
                var contact = account.BillingGroups.First(g => g.BillingGroupNo == m.BillingGroupNo).BillingContact;
                return new JsonObject()
                    .Put("bill_first_name", contact.FirstName)
                    .Put("bill_last_name", contact.LastName)
                    .Put("bill_address1", contact.Address1)
                    .Put("bill_city", contact.City)
                    .Put("bill_country", contact.CountryCd)
                    .Put("bill_postal_cd", contact.PostalCd)
                    .Put("bill_email", contact.Email)
                    .Put("pay_method_name", m.Name)
                    .Put("client_payment_method_id", m.ClientPaymentMethodId)
                    .Put("pay_method_type", m.PayMethodType)
                    .Put("suffix", m.Suffix)
                    .Put("cc_expire_mm", m.ExpireMonth)
                    .Put("cc_expire_yyyy", m.ExpireYear)
                    .Put("cc_type", m.CardType)
                    .Put("status", m.Disabled ? 0 : 1)
                    .Put("payment_method_no", m.PaymentMethodNo)
                    .Put("persistent_ind", 1);
            }))
            .Put("account_payment_terms", new JsonArray());
    }

    public static JsonObject UpdatePaymentMethod(CallContext ctx)
    {
        var account = ctx.Account();
        ctx.CheckReceipt();
        var existingNo = ctx.Input.Long("payment_method_no");
        var existingId = ctx.Input.NonEmpty("client_payment_method_id");
        PaymentMethod? existing = null;
        if (existingNo is not null || existingId is not null)
        {
            existing = account.PaymentMethods.FirstOrDefault(m => existingNo is not null ? m.PaymentMethodNo == existingNo : m.ClientPaymentMethodId == existingId);
            if (existing is null || existing.Disabled)
            {
                throw new AriaFault(AriaCodes.InvalidPayMethod, "invalid payment method");
            }
        }

        var group = existing is null ? account.BillingGroups.First() : account.BillingGroups.First(g => g.BillingGroupNo == existing.BillingGroupNo);
        if (ctx.Input.Long("disabled_ind") == 1)
        {
            // Takes precedence over everything else; a disabled method never comes back.
            if (existing is null)
            {
                throw new AriaFault(AriaCodes.MissingParameter, "missing required parameter: payment_method_no");
            }

            existing.Disabled = true;
            foreach (var g in account.BillingGroups.Where(g => g.PrimaryPaymentMethodNo == existing.PaymentMethodNo))
            {
                g.PrimaryPaymentMethodNo = null;
            }

            ctx.RecordReceipt();
            return CallContext.Ok().Put("bill_contact_no_2", group.BillingContact.ContactNo);
        }

        var type = ctx.Input.Long("pay_method_type");
        PaymentMethod? created = null;
        if (type is not null)
        {
            created = NewMethod(ctx, (int)type, group.BillingGroupNo);
        }

        var doCollect = ctx.Input.Bool("do_collect", defaultValue: false);
        var disableExisting = ctx.Input.Bool("disable_existing_on_update", defaultValue: true);
        UpdateBillingContact(ctx, group);
        if (created is not null)
        {
            account.PaymentMethods.Add(created);
            // A method that replaces the primary (or is added without naming one) becomes the primary (unverified against Aria).
            if (existing is null || group.PrimaryPaymentMethodNo == existing.PaymentMethodNo || group.PrimaryPaymentMethodNo is null)
            {
                group.PrimaryPaymentMethodNo = created.PaymentMethodNo;
            }

            if (existing is not null && disableExisting)
            {
                existing.Disabled = true;
            }
        }

        ctx.RecordReceipt();
        var reply = CallContext.Ok().Put("seq_no", created?.PaymentMethodNo).Put("bill_contact_no_2", group.BillingContact.ContactNo);
        if (doCollect && created is not null && account.Balance > 0)
        {
            var decline = Decline(created.Behaviour);
            var info = new JsonObject().Put("bill_group_no", group.BillingGroupNo);
            if (decline is null)
            {
                Ledger.Pay(ctx.State, account, account.Balance, created, null, null, ctx.Today);
                info.Put("collection_error_code", 0).Put("proc_status_code", "00").Put("proc_status_text", "Approved");
            }
            else
            {
                info.Put("collection_error_code", decline.Value.Code).Put("collection_error_msg", decline.Value.Message)
                    .Put("proc_status_code", decline.Value.ProcCode).Put("proc_status_text", decline.Value.ProcText);
            }

            reply["collection_info"] = new JsonArray(info);
        }

        return reply;
    }

    private static PaymentMethod NewMethod(CallContext ctx, int type, long billingGroupNo)
    {
        var number = ctx.State.NextId();
        if (type == 1)
        {
            var card = Card.Validate(ctx, "cc_num", "cc_expire_mm", "cc_expire_yyyy");
            return new PaymentMethod
            {
                PaymentMethodNo = number,
                PayMethodType = 1,
                Suffix = card.Suffix,
                ExpireMonth = card.Month,
                ExpireYear = card.Year,
                CardType = card.Brand,
                Name = ctx.Input.NonEmpty("pay_method_name") ?? $"{card.Brand} ending {card.Suffix}",
                BillingGroupNo = billingGroupNo,
                Behaviour = card.Behaviour,
            };
        }

        if (type == 2)
        {
            var accountNumber = ctx.Input.NonEmpty("bank_acct_num");
            var routing = ctx.Input.NonEmpty("bank_routing_num");
            if (accountNumber is null || routing is null || !accountNumber.All(char.IsAsciiDigit) || routing.Length != 9 || !routing.All(char.IsAsciiDigit) || accountNumber.Length < 4)
            {
                throw new AriaFault(AriaCodes.InvalidBankDraft, "invalid bank draft information");
            }

            return new PaymentMethod
            {
                PaymentMethodNo = number,
                PayMethodType = 2,
                Suffix = accountNumber[^4..],
                Name = ctx.Input.NonEmpty("pay_method_name") ?? $"Bank account ending {accountNumber[^4..]}",
                BillingGroupNo = billingGroupNo,
            };
        }

        throw new AriaFault(AriaCodes.InvalidPayMethod, "invalid pay method type (the sandbox simulates 1 credit card and 2 electronic check)");
    }

    private static void UpdateBillingContact(CallContext ctx, BillingGroup group)
    {
        var fields = new (string Name, Action<Contact, string?> Set)[]
        {
            ("bill_first_name", (c, v) => c.FirstName = v), ("bill_middle_initial", (c, v) => c.MiddleInitial = v),
            ("bill_last_name", (c, v) => c.LastName = v), ("bill_company_name", (c, v) => c.CompanyName = v),
            ("bill_address1", (c, v) => c.Address1 = v), ("bill_address2", (c, v) => c.Address2 = v),
            ("bill_city", (c, v) => c.City = v), ("bill_state_prov", (c, v) => c.StateProv = v),
            ("bill_country", (c, v) => c.CountryCd = v), ("bill_postal_cd", (c, v) => c.PostalCd = v),
            ("bill_phone", (c, v) => c.Phone = v), ("bill_email", (c, v) => c.Email = v),
        };
        foreach (var (name, set) in fields)
        {
            var value = ctx.Input.Str(name);
            if (value is not null)
            {
                set(group.BillingContact, value == "~" ? null : value);
            }
        }
    }
}
