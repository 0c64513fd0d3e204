using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VqaAspire.ServiceDefaults;

/// <summary>
/// The one ActivitySource and Meter every pipeline step (prepare, upload, fine-tune, evaluate) reports to.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>Name shared by the ActivitySource and the Meter, registered with OpenTelemetry in <see cref="Microsoft.Extensions.Hosting.ServiceDefaultsExtensions"/>.</summary>
    public const string Name = "VqaAspire.Pipeline";

    /// <summary>Tag that ties every span of a run together.</summary>
    public const string RunIdTag = "vqa.run_id";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
