using static AriaBot.Tests.Deployment.DeploymentSnapshot;

namespace AriaBot.Tests.Deployment;

/// <summary>
/// The template's Application Insights: workspace-based in the deployment's Log Analytics workspace, and the app told
/// where it is by <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> (which switches the app's Azure Monitor exporter on);
/// with Log Analytics off there is neither the resource nor the setting.
/// </summary>
public sealed class ApplicationInsightsTemplateTests(DeploymentFixture fixture) : IClassFixture<DeploymentFixture>
{
    [SkippableFact]
    public void With_Log_Analytics_the_app_exports_to_a_workspace_based_Application_Insights()
    {
        Skip.If(fixture.Unavailable is not null, fixture.Unavailable);
        var snapshot = fixture.Snapshot("example");
        var insights = snapshot.Single("Microsoft.Insights/components");
        var workspace = snapshot.Single("Microsoft.OperationalInsights/workspaces");
        Assert.Equal(Id(workspace), Property(insights, "properties.WorkspaceResourceId"));
        Assert.Equal("LogAnalytics", Property(insights, "properties.IngestionMode"));
        Assert.StartsWith("InstrumentationKey=", snapshot.AppSettings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.Equal(TelemetryVariable, AriaBot.Telemetry.TelemetryServiceCollectionExtensions.AzureMonitorConnectionStringVariable);
    }

    [SkippableFact]
    public void Without_Log_Analytics_there_is_no_Application_Insights_and_no_setting()
    {
        Skip.If(fixture.Unavailable is not null, fixture.Unavailable);
        var snapshot = fixture.Snapshot("everything");
        Assert.Empty(snapshot.OfType("Microsoft.Insights/components"));
        Assert.False(snapshot.AppSettings.ContainsKey(TelemetryVariable));
    }

    private const string TelemetryVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
