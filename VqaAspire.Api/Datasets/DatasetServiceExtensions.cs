using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VqaAspire.Api.Datasets.HuggingFace;
using VqaAspire.Api.Workers;

namespace VqaAspire.Api.Datasets;

public static class DatasetServiceExtensions
{
    /// <summary>Registers the dataset registry, sources, importer, Hugging Face downloader and the sample seeding.</summary>
    public static IHostApplicationBuilder AddDatasetServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HuggingFaceOptions>().BindConfiguration(HuggingFaceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // A body that is not JSON (or too large) is the caller's mistake: answer its 4xx, not 500, in every environment.
        builder.Services.Configure<ExceptionHandlerOptions>(handler => handler.StatusCodeSelector =
            ex => ex is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        // Shards are hundreds of MB: no overall timeout or retry pipeline; the downloader resumes by itself.
#pragma warning disable EXTEXP0001 // Evaluation API; the documented way to opt one client out of the defaults' handler.
        builder.Services.AddHttpClient<HuggingFaceDownloader>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<DatasetRegistry>();
        builder.Services.AddSingleton<DatasetSourceResolver>();
        builder.Services.AddSingleton<ExamplePageIndex>();
        builder.Services.AddSingleton<IDatasetSourceResolver>(sp => sp.GetRequiredService<DatasetSourceResolver>());
        builder.Services.AddSingleton<DatasetImportService>();
        builder.Services.AddSingleton<DatasetUploadService>();
        builder.Services.AddSingleton<UploadSessions>();
        builder.Services.AddSingleton<DatasetImporter>();
        builder.Services.AddWorker<DatasetImportQueue, DatasetImportWorker>("dataset-imports", HealthStatus.Unhealthy);
        builder.Services.AddHostedService<DatasetStartup>();
        return builder;
    }
}
