using System.Text.Json.Serialization;

namespace Aria.Sandbox.Seed;

// The shape of demo-seed.json. Dates in it are relative to the sandbox clock at seeding time
// (bill days, months of history, days ago), so the demo looks current under any clock.

internal sealed class SeedFile
{
    [JsonPropertyName("client")] public required SeedClient Client { get; init; }
    [JsonPropertyName("plans")] public List<SeedPlan> Plans { get; init; } = [];
    [JsonPropertyName("items")] public List<SeedItem> Items { get; init; } = [];
    [JsonPropertyName("accounts")] public List<SeedAccount> Accounts { get; init; } = [];
}

internal sealed class SeedClient
{
    [JsonPropertyName("client_no")] public long ClientNo { get; init; }
    [JsonPropertyName("auth_key")] public required string AuthKey { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("allowed_ip_addresses")] public List<string> AllowedIpAddresses { get; init; } = [];
    [JsonPropertyName("session_minutes")] public int SessionMinutes { get; init; } = 30;
    [JsonPropertyName("prorate_by_default")] public bool ProrateByDefault { get; init; } = true;
    [JsonPropertyName("auto_bill_orders")] public bool AutoBillOrders { get; init; } = true;
    [JsonPropertyName("currency")] public string Currency { get; init; } = "usd";
}

internal sealed class SeedPlan
{
    [JsonPropertyName("plan_no")] public long PlanNo { get; init; }
    [JsonPropertyName("client_plan_id")] public required string ClientPlanId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = string.Empty;
    [JsonPropertyName("supplemental")] public bool Supplemental { get; init; }
    [JsonPropertyName("display")] public bool Display { get; init; } = true;
    [JsonPropertyName("parents")] public List<long> Parents { get; init; } = [];
    [JsonPropertyName("schedules")] public List<SeedSchedule> Schedules { get; init; } = [];
}

internal sealed class SeedSchedule
{
    [JsonPropertyName("schedule_no")] public long ScheduleNo { get; init; }
    [JsonPropertyName("client_rate_schedule_id")] public required string ClientRateScheduleId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("rate")] public decimal Rate { get; init; }
    [JsonPropertyName("interval_months")] public int IntervalMonths { get; init; } = 1;
    [JsonPropertyName("default")] public bool Default { get; init; }
}

internal sealed class SeedItem
{
    [JsonPropertyName("item_no")] public long ItemNo { get; init; }
    [JsonPropertyName("client_sku")] public required string ClientSku { get; init; }
    [JsonPropertyName("label")] public required string Label { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = string.Empty;
    [JsonPropertyName("price")] public decimal Price { get; init; }
    [JsonPropertyName("active")] public bool Active { get; init; } = true;
    [JsonPropertyName("stock_level")] public decimal StockLevel { get; init; } = 100;
}

internal sealed class SeedAccount
{
    [JsonPropertyName("acct_no")] public long AcctNo { get; init; }
    [JsonPropertyName("client_acct_id")] public required string ClientAcctId { get; init; }
    [JsonPropertyName("user_id")] public required string UserId { get; init; }
    [JsonPropertyName("password")] public required string Password { get; init; }
    [JsonPropertyName("description")] public string Description { get; init; } = string.Empty;
    [JsonPropertyName("status_cd")] public int StatusCd { get; init; } = 1;
    [JsonPropertyName("contact")] public required SeedContact Contact { get; init; }
    [JsonPropertyName("cards")] public List<SeedCard> Cards { get; init; } = [];
    [JsonPropertyName("plans")] public List<SeedPlanInstance> Plans { get; init; } = [];
    [JsonPropertyName("history_months")] public int HistoryMonths { get; init; } = 1;
    [JsonPropertyName("unpaid_months")] public int UnpaidMonths { get; init; }
    [JsonPropertyName("orders")] public List<SeedOrder> Orders { get; init; } = [];
}

internal sealed class SeedContact
{
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("company_name")] public string? CompanyName { get; init; }
    [JsonPropertyName("address1")] public string? Address1 { get; init; }
    [JsonPropertyName("city")] public string? City { get; init; }
    [JsonPropertyName("state_prov")] public string? StateProv { get; init; }
    [JsonPropertyName("country_cd")] public string? CountryCd { get; init; }
    [JsonPropertyName("postal_cd")] public string? PostalCd { get; init; }
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
}

internal sealed class SeedCard
{
    /// <summary>A test card number; only its last four digits (and decline behaviour) are kept.</summary>
    [JsonPropertyName("number")] public required string Number { get; init; }
    [JsonPropertyName("expire_mm")] public int ExpireMonth { get; init; }
    [JsonPropertyName("expire_years_ahead")] public int ExpireYearsAhead { get; init; } = 2;
}

internal sealed class SeedPlanInstance
{
    [JsonPropertyName("plan_no")] public long PlanNo { get; init; }
    [JsonPropertyName("units")] public decimal Units { get; init; } = 1;
    [JsonPropertyName("bill_day")] public int BillDay { get; init; } = 1;
    [JsonPropertyName("supplementals")] public List<SeedPlanInstance> Supplementals { get; init; } = [];

    /// <summary>A plan added this many months ago: earlier bills in the history do not have it. Null: there from the start.</summary>
    [JsonPropertyName("added_months_ago")] public int? AddedMonthsAgo { get; init; }

    /// <summary>The units the plan had before <see cref="UnitsChangedMonthsAgo"/> (bills before then use them).</summary>
    [JsonPropertyName("units_before")] public decimal? UnitsBefore { get; init; }

    [JsonPropertyName("units_changed_months_ago")] public int? UnitsChangedMonthsAgo { get; init; }
}

internal sealed class SeedOrder
{
    [JsonPropertyName("days_ago")] public int DaysAgo { get; init; }
    [JsonPropertyName("client_order_id")] public string? ClientOrderId { get; init; }
    [JsonPropertyName("lines")] public List<SeedOrderLine> Lines { get; init; } = [];
}

internal sealed class SeedOrderLine
{
    [JsonPropertyName("client_sku")] public required string ClientSku { get; init; }
    [JsonPropertyName("units")] public decimal Units { get; init; } = 1;
}
