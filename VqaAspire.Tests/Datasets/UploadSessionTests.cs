using System.Net;
using System.Net.Http.Json;
using System.Text;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Datasets;

/// <summary>
/// Uploads sent one file at a time into a session: a file sent again after a reload is kept once, a bad file is
/// refused naming it while the rest go on, the session lists what arrived, and its import makes the dataset.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class UploadSessionTests(DatasetApiFixture api) : IClassFixture<DatasetApiFixture>
{
    [Fact]
    public async Task FilesSentOneByOneImportOnceEachAndABadFileIsRefusedByName()
    {
        var session = await CreateAsync("Covers one by one");
        var png = TestFolder.Png();
        var manifest = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            var sent = await PutAsync(session.Id, $"{i:D2}.png", png);
            Assert.Equal(UploadedFileOutcomes.Saved, sent.Outcome);
            manifest.Append($$"""{"image": "{{i:D2}}.png", "question": "Who wrote this book?", "answer": "Author {{i}}", "split": "train"}""").Append('\n');
        }

        // The page reloaded and sent two files again: they are kept once.
        Assert.Equal(UploadedFileOutcomes.AlreadyThere, (await PutAsync(session.Id, "03.png", png)).Outcome);
        Assert.Equal(UploadedFileOutcomes.AlreadyThere, (await PutAsync(session.Id, "07.png", png)).Outcome);

        using var bad = await SendAsync(session.Id, "notes.png", "not an image"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'notes.png' is not a JPEG, PNG or WEBP image", await bad.Content.ReadAsStringAsync());

        // Importing before the manifest arrives is refused and the session stays, files and all.
        using var early = await api.Client.PostAsync($"/api/datasets/uploads/sessions/{session.Id}/import", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("no parquet shard and no manifest", await early.Content.ReadAsStringAsync());

        await PutAsync(session.Id, "manifest.jsonl", Encoding.UTF8.GetBytes(manifest.ToString()));
        var open = await api.Client.GetFromJsonAsync<UploadSessionView>($"/api/datasets/uploads/sessions/{session.Id}");
        Assert.Equal(13, open!.Files.Count);
        Assert.Contains(open.Files, f => f.Path == "05.png" && f.Size == png.Length);

        using var import = await api.Client.PostAsync($"/api/datasets/uploads/sessions/{session.Id}/import", null);
        Assert.Equal(HttpStatusCode.Accepted, import.StatusCode);
        var accepted = await import.Content.ReadFromJsonAsync<ImportAccepted>();
        var dataset = await api.Client.WaitForImportAsync(accepted!.Id);
        Assert.Equal(DatasetStatuses.Ready, dataset.Status);
        Assert.Equal("Covers one by one", dataset.Name);
        Assert.Equal(12, dataset.Splits.Sum(s => s.Images));

        // Imported: the session is closed.
        var sessions = await api.Client.GetFromJsonAsync<List<UploadSessionView>>("/api/datasets/uploads/sessions");
        Assert.DoesNotContain(sessions!, s => s.Id == session.Id);
    }

    [Fact]
    public async Task AFileOfTheSamePathWithOtherContentReplacesItAndADiscardedSessionIsGone()
    {
        var session = await CreateAsync("Replaced");
        await PutAsync(session.Id, "a.png", TestFolder.Png());
        var other = TestFolder.Png(width: 3);
        var replaced = await PutAsync(session.Id, "a.png", other);
        Assert.Equal(UploadedFileOutcomes.Replaced, replaced.Outcome);
        Assert.Equal(other.Length, replaced.Size);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.DeleteAsync($"/api/datasets/uploads/sessions/{session.Id}")).StatusCode);
        using var gone = await SendAsync(session.Id, "b.png", TestFolder.Png());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private async Task<UploadSessionView> CreateAsync(string name)
    {
        using var response = await api.Client.PostAsJsonAsync("/api/datasets/uploads/sessions", new UploadSessionRequest(name));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadSessionView>())!;
    }

    private async Task<UploadedFileResult> PutAsync(string sessionId, string path, byte[] bytes)
    {
        using var response = await SendAsync(sessionId, path, bytes);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<UploadedFileResult>())!;
    }

    private Task<HttpResponseMessage> SendAsync(string sessionId, string path, byte[] bytes) =>
        api.Client.PutAsync($"/api/datasets/uploads/sessions/{sessionId}/files?path={Uri.EscapeDataString(path)}", new ByteArrayContent(bytes));
}
