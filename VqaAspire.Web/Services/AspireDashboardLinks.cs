namespace VqaAspire.Web.Services;

/// <summary>Links into the Aspire dashboard (from <c>Dashboard:Url</c>); none when the dashboard's address is unknown.</summary>
public sealed class AspireDashboardLinks(string? dashboardUrl)
{
    private readonly string? _baseUrl = string.IsNullOrWhiteSpace(dashboardUrl) ? null : dashboardUrl.TrimEnd('/');

    /// <summary>The dashboard page of a W3C trace, or null.</summary>
    public string? Trace(string? traceId) =>
        _baseUrl is null || string.IsNullOrEmpty(traceId) ? null : $"{_baseUrl}/traces/detail/{Uri.EscapeDataString(traceId)}";
}
