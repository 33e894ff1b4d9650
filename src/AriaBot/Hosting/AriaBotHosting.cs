using AriaBot.Account.Contacts;
using AriaBot.Account.EmailChange;
using AriaBot.Account.Histories;
using AriaBot.Account.Overview;
using AriaBot.Account.Statements;
using AriaBot.Audit;
using AriaBot.Catalog;
using AriaBot.Changes;
using AriaBot.Conversation;
using AriaBot.Email;
using AriaBot.Escalation;
using AriaBot.Handoff;
using AriaBot.Notifications;
using AriaBot.Orders.PlaceOrder;
using AriaBot.Payments.MakePayment;
using AriaBot.Payments.PaymentMethods;
using AriaBot.PasswordReset;
using AriaBot.Plans.AddPlan;
using AriaBot.Plans.CancelPlan;
using AriaBot.Plans.ChangeUnits;
using AriaBot.Plans.SwitchPlan;
using AriaBot.Privacy;
using AriaBot.SandboxHost;
using AriaBot.ScaleOut;
using AriaBot.SelfService;
using AriaBot.Session;
using AriaBot.Shell;
using AriaBot.SignIn;
using AriaBot.Slack;
using AriaBot.Teams;
using AriaBot.Telemetry;
using AriaBot.Transcripts;
using AriaBot.Understanding;
using AriaBot.Web;
using BotRuntime.Builder;
using BotRuntime.DirectLine;
using BotRuntime.Hosting;
using BotRuntime.Slack;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AriaBot.Hosting;

/// <summary>Everything the assistant's host registers and maps, so Program.cs stays a table of contents.</summary>
public static class AriaBotHosting
{
    public static WebApplicationBuilder AddAriaBot(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddBotRuntime();
        // Spans, metrics and logs (OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set); see Telemetry/README.md.
        builder.AddAriaBotTelemetry();
        // Before the session and privacy middleware: they see Teams activities without the bot's @mention, and never a refused tenant's.
        builder.Services.AddTeamsChannel();
        builder.Services.AddDirectLine();
        // Slack's Events API ingress (off without Slack:SigningSecret) and Block Kit for Slack through Azure.
        builder.Services.AddSlack();
        builder.Services.AddAriaClient(builder.Configuration);
        builder.AddDevelopmentSandbox();
        builder.Services.AddHealthChecks().AddAriaReadinessCheck();
        builder.Services.AddLanguage(builder.Configuration);
        // After AddAriaClient (the Aria call ledger joins its HttpClient) and AddDirectLine (the portal binding sink).
        builder.Services.AddAriaSession(builder.Configuration);
        builder.Services.AddSignIn(builder.Configuration);
        // Customer e-mail and the durable outbox (after AddDevelopmentSandbox: the Development outbox asks it).
        builder.Services.AddEmail();
        // Direct Line's echo of a code this chat user is asked for is stored redacted (replaces the runtime's default).
        builder.Services.AddSingleton<BotRuntime.Privacy.IIncomingActivityRedactor, AriaIncomingActivityRedactor>();
        builder.Services.AddSelfService();
        builder.Services.AddAssistant();
        // After the privacy and transcript middleware (AddSelfService): in a Slack channel, a DM is offered and nothing runs.
        builder.Services.AddSingleton<BotRuntime.Builder.IMiddleware, SlackChannelGuard>();
        // After AddSelfService: its middleware runs after the privacy and transcript middleware, and its IEscalation wins.
        builder.Services.AddHandoff();
        // The "one moment" notice when a conversation's previous turn (here or on another instance) is still running.
        builder.Services.AddScaleOut();
        // Aria's event notifications (after AddEmail: the outbox; after AddHandoff: nothing is shown in a handed-off chat).
        builder.Services.AddNotifications();
        builder.AddWebPage();
        return builder;
    }

    /// <summary>The assistant's own services: business rules, audit, write intents, privacy, transcripts, escalation.</summary>
    public static IServiceCollection AddSelfService(this IServiceCollection services)
    {
        services.AddOptions<SelfServiceOptions>().BindConfiguration(SelfServiceOptions.SectionName)
            .Configure<IConfiguration>(SelfServiceOptions.ReplaceConfiguredLists).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TranscriptOptions>().BindConfiguration(TranscriptOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IAuditLog, StorageAuditLog>();
        services.AddSingleton<IWriteLedger, StorageWriteLedger>();
        services.AddSingleton<WriteReconciliation>();
        services.AddSingleton<ChangeWriter>();
        services.AddHostedService<WriteReconciliationAtStartup>();
        services.AddSingleton<ITranscriptStore, StorageTranscriptStore>();
        // Order matters: secrets are cut out of the message before the transcript (or anything else) sees it.
        services.AddSingleton<BotRuntime.Builder.IMiddleware, ChatPrivacyMiddleware>();
        // Before anything that speaks: the conversation's chosen language replaces the channel's locale.
        services.AddSingleton<BotRuntime.Builder.IMiddleware, ConversationLanguageMiddleware>();
        services.AddSingleton<BotRuntime.Builder.IMiddleware, TranscriptMiddleware>();
        services.TryAddSingleton<IEscalation, SupportContactEscalation>();
        return services;
    }

    /// <summary>The conversation shell, the shared preview-and-confirm turn, and the use cases.</summary>
    public static IServiceCollection AddAssistant(this IServiceCollection services)
    {
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPlanCatalog, PlanCatalog>();
        // The understander knows every visible plan and item by name (one source per kind); each use case takes only its own kind.
        services.AddSingleton<IUnderstandingCatalog, UnderstandingCatalog>();
        services.AddHostedService<UnderstandingCatalogWarmUp>();
        services.AddSingleton<IUnderstandingCatalogSource, VisiblePlansCatalog>();
        services.AddSingleton(sp => new GlobalCommandRecognizer(sp.GetRequiredService<IntentExamples>(),
            extraForgotPasswordPhrases: culture => sp.GetRequiredService<AriaBot.Language.IWords>().FormatAll(PasswordResetWords.ForgotShortForms, culture.Name),
            extraCommands: culture => ConversationLanguage.Commands(sp.GetRequiredService<AriaBot.Language.IWords>(), culture),
            fillers: culture => sp.GetRequiredService<AriaBot.Language.IWords>().FormatAll(ShellWords.CommandFillers, culture.Name)));
        services.AddSingleton<ConversationLanguage>();
        services.AddSingleton<ConfirmChangeDialog>();

        // Switch plan.
        services.AddSingleton<IPreviewedChange, ReplacePlanChange>();
        services.AddSingleton<IWriteReconciler, ReplacePlanReconciler>();
        services.AddUseCase(SwitchPlanUseCase.Declaration);

        // Add plan: a supplemental plan under the account's master (assign_acct_plan_m).
        services.AddSingleton<IPreviewedChange, AssignPlanChange>();
        services.AddSingleton<IWriteReconciler, AssignPlanReconciler>();
        services.AddUseCase(AddPlanUseCase.Declaration);

        // Change units (update_acct_plan_m with plan_units).
        services.AddSingleton<IPreviewedChange, UpdateUnitsChange>();
        services.AddSingleton<IWriteReconciler, UpdateUnitsReconciler>();
        services.AddUseCase(ChangeUnitsUseCase.Declaration);

        // Cancel plan, and what it cascades to (cancel_acct_plan_m).
        services.AddSingleton<IPreviewedChange, CancelPlanChange>();
        services.AddSingleton<IWriteReconciler, CancelPlanReconciler>();
        services.AddUseCase(CancelPlanUseCase.Declaration);

        // Place an order: inventory items (get_client_items_all_m, create_order_m).
        services.AddSingleton<IItemCatalog, ItemCatalog>();
        services.AddSingleton<IUnderstandingCatalogSource, VisibleItemsCatalog>();
        services.AddSingleton<IPreviewedChange, CreateOrderChange>();
        services.AddSingleton<IWriteReconciler, CreateOrderReconciler>();
        services.AddUseCase(PlaceOrderUseCase.Declaration);

        // One-time payment: the balance, an amount, a method on file, then the shared confirmation and exactly-once write.
        services.AddSingleton<IPreviewedChange, CollectPaymentChange>();
        services.AddSingleton<IPreviewedChange, SettleBalanceChange>();
        services.AddSingleton<IWriteReconciler>(sp => ActivatorUtilities.CreateInstance<PaymentReconciler>(sp, CollectPaymentChange.ChangeKind));
        services.AddSingleton<IWriteReconciler>(sp => ActivatorUtilities.CreateInstance<PaymentReconciler>(sp, SettleBalanceChange.ChangeKind));
        services.AddUseCase(MakePaymentUseCase.Declaration);

        // Update payment information: list, replace or add a card on the secure page, disable one (update_payment_method_m).
        services.AddPaymentMethods();

        // The account overview and the histories: read-only, after the session check, never from dialog state.
        services.AddOptions<StatementLinkOptions>().BindConfiguration(StatementLinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatementLinks>();
        services.AddUseCase(AccountOverviewUseCase.Declaration);
        services.AddUseCase(HistoryUseCases.Transactions);
        services.AddUseCase(HistoryUseCases.Statements);
        services.AddUseCase(HistoryUseCases.Orders);

        // Update contact information: old → new on the shared confirmation, the session check last, written once.
        services.AddSingleton<IPreviewedChange, UpdateContactChange>();
        services.AddSingleton<IWriteReconciler, UpdateContactReconciler>();
        services.AddUseCase(UpdateContactUseCase.Declaration);
        // The account e-mail changes only after a code sent to the new address is entered on /email-change.
        services.AddAccountEmailChange();

        // Forgotten password: a code e-mailed through the outbox, entered on the reset page (update_acct_credentials_m).
        services.AddPasswordReset();
        // "Code first": while a reset or an e-mail change waits for its e-mailed code, a message that may carry it is held
        // back before anything routes it (after the privacy and transcript middleware of AddSelfService, before handoff).
        services.AddSingleton<BotRuntime.Builder.IMiddleware, AwaitedCodeMiddleware>();

        services.AddSingleton<MainDialog>();
        services.AddSingleton<IBot, AssistantBot>();
        // After start-up, in the background: what the first turn would build while a customer waits (Shell/README.md).
        services.AddOptions<ShellOptions>().BindConfiguration(ShellOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FirstTurnWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<FirstTurnWarmUp>());
        // It waits for the end of the first turn, which it sees as a middleware (it then passes every turn straight on).
        services.AddSingleton<BotRuntime.Builder.IMiddleware>(sp => sp.GetRequiredService<FirstTurnWarmUp>());
        return services;
    }

    public static WebApplication MapAriaBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapBotRuntime();
        app.MapDirectLine();
        app.MapSlack();
        app.MapWebPage();
        // Readiness: Aria reachable with this host's IP and credentials (1003 and 1004 told apart).
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapDevelopmentSandbox();
        app.MapSignIn();
        app.MapStatementPage();
        app.MapPaymentMethods();
        app.MapHandoff();
        app.MapPasswordReset();
        app.MapAccountEmailChange();
        app.MapEmail();
        app.MapNotifications();
        return app;
    }
}
