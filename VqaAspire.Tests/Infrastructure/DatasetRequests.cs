using System.Net.Http.Headers;
using System.Net.Http.Json;
using VqaAspire.Contracts;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>The dataset calls several test classes make: an upload's files, and waiting for an import to end.</summary>
public static class DatasetRequests
{
    public static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Adds a file to an upload form as a browser would (field <c>files</c>, the name as the user's folder gives it).</summary>
    public static void AddUploadFile(this MultipartFormDataContent form, string name, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "files", name);
    }

    /// <summary>Reads the dataset until its import has ended (ready or failed); fails with its progress after <see cref="ImportTimeout"/>.</summary>
    public static async Task<DatasetSummary> WaitForImportAsync(this HttpClient api, string id)
    {
        return await Polling.WaitAsync(
            async () => (await api.GetFromJsonAsync<DatasetSummary>($"/api/datasets/{id}"))!,
            d => d.Status != DatasetStatuses.Importing,
            ImportTimeout);
    }
}
