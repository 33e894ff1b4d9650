using Aria.Sandbox.State;

namespace Aria.Sandbox.Billing;

/// <summary>
/// Writes invoices, statements and payments, keeping the account balance in step with them.
/// Balance = invoices − payments; a payment is applied to the oldest unpaid invoices first.
/// </summary>
internal static class Ledger
{
    public static Invoice Bill(SandboxState state, Account account, long? masterPlanInstanceNo, DateOnly billDate, DateOnly? from, DateOnly? thru, List<InvoiceLine> lines)
    {
        var balanceBefore = account.Balance;
        var invoice = new Invoice
        {
            InvoiceNo = state.NextId(),
            AcctNo = account.AcctNo,
            MasterPlanInstanceNo = masterPlanInstanceNo,
            BillDate = billDate,
            From = from,
            Thru = thru,
            Lines = lines,
            Currency = account.Currency,
        };
        state.Invoices.Add(invoice);
        account.Balance += invoice.Total;

        var lastStatement = state.Statements.Where(s => s.AcctNo == account.AcctNo).OrderByDescending(s => s.CreateDate).FirstOrDefault();
        var paymentsSince = state.Transactions
            .Where(t => t.AcctNo == account.AcctNo && t.Type == 3 && (lastStatement is null || t.CreateDate >= lastStatement.CreateDate))
            .Sum(t => t.Amount);
        var statement = new Statement
        {
            StatementNo = state.NextId(),
            AcctNo = account.AcctNo,
            CreateDate = billDate,
            DueDate = billDate.AddDays(14), // net 14: the sandbox's own payment terms (unverified against Aria)
            NewCharges = invoice.Total,
            NewPayments = paymentsSince,
            BalanceForward = balanceBefore,
            Total = account.Balance,
            InvoiceNo = invoice.InvoiceNo,
            MasterPlanInstanceNo = masterPlanInstanceNo,
        };
        state.Statements.Add(statement);
        invoice.StatementNo = statement.StatementNo;

        state.Transactions.Add(new LedgerTransaction
        {
            TransactionId = state.NextId(),
            AcctNo = account.AcctNo,
            Type = 1,
            Description = invoice.Total < 0 ? "Credit invoice" : "Invoice",
            Amount = invoice.Total,
            AppliedAmount = 0,
            CreateDate = billDate,
            InvoiceNo = invoice.InvoiceNo,
            StatementNo = statement.StatementNo,
            Currency = account.Currency,
        });

        // A credit invoice (net negative) settles older charges the way a payment does.
        if (invoice.Total < 0)
        {
            Apply(state, account, -invoice.Total, billDate);
            invoice.PaidAmount = invoice.Total;
            invoice.PaidDate = billDate;
        }

        return invoice;
    }

    public static LedgerTransaction Pay(SandboxState state, Account account, decimal amount, PaymentMethod? method, string? cardSuffix, string? receiptId, DateOnly date)
    {
        var payment = new LedgerTransaction
        {
            TransactionId = state.NextId(),
            AcctNo = account.AcctNo,
            Type = 3,
            Description = "Electronic payment",
            Amount = amount,
            CreateDate = date,
            ClientReceiptId = receiptId,
            PaymentMethodNo = method?.PaymentMethodNo,
            CardSuffix = cardSuffix ?? method?.Suffix,
            PayMethodType = method?.PayMethodType ?? 1,
            Currency = account.Currency,
        };
        state.Transactions.Add(payment);
        account.Balance -= amount;
        payment.AppliedAmount = Apply(state, account, amount, date);
        return payment;
    }

    private static decimal Apply(SandboxState state, Account account, decimal amount, DateOnly date)
    {
        var left = amount;
        foreach (var invoice in state.Invoices.Where(i => i.AcctNo == account.AcctNo && i.Total > 0 && i.PaidAmount < i.Total).OrderBy(i => i.BillDate).ThenBy(i => i.InvoiceNo))
        {
            if (left <= 0)
            {
                break;
            }

            var share = Math.Min(left, invoice.Total - invoice.PaidAmount);
            invoice.PaidAmount += share;
            left -= share;
            if (invoice.PaidAmount >= invoice.Total)
            {
                invoice.PaidDate = date;
            }
        }

        return amount - left;
    }
}
