using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using VqaAspire.Contracts;
using VqaAspire.Tests.Infrastructure;
using VqaAspire.Web.Components.Pages;

namespace VqaAspire.Tests.Web;

/// <summary>
/// The Datasets page's upload: a pick is reviewed before anything is sent; Upload sends every file into one session
/// and imports it; a bad file is refused naming it while the rest go on; an unfinished upload, continued after a
/// reload, sends only the files it does not hold.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class DatasetUploadComponentTests : DashboardTestContext
{
    [Fact]
    public void APickIsReviewedFirstThenUploadSendsEachFileAndABadOneIsRefusedByName()
    {
        ImportAccepted? imported = null;
        var upload = Render<DatasetUpload>(p => p.Add(x => x.Name, "My covers").Add(x => x.OnImported, a => imported = a));

        var files = Enumerable.Range(0, 20).Select(i => InputFileContent.CreateFromBinary(new byte[150_000], $"{i:D2}.jpg"))
            .Append(InputFileContent.CreateFromText("{}", "manifest.jsonl"))
            .Append(InputFileContent.CreateFromText("not an image", "broken.jpg"))
            .Append(InputFileContent.CreateFromText("notes", "readme.txt")).ToArray();
        Api.RefusedPaths.Add("broken.jpg");
        upload.FindComponents<InputFile>()[0].UploadFiles(files);

        // Reviewed, not sent: the list shows every file, the one the api would refuse by its type says so already.
        Assert.Empty(Api.SentFiles);
        Assert.Equal(23, upload.FindAll("[data-testid=upload-item]").Count);
        Assert.Contains("'readme.txt': unsupported file type '.txt'", upload.Find("[data-testid=upload-item][data-state=Refused]").TextContent);
        Assert.Contains("0 of 23 files arrived", upload.Find("[data-testid=upload-summary]").TextContent);

        upload.Find("[data-testid=upload]").Click();

        upload.WaitForAssertion(() => Assert.Contains("21 files uploaded, 2 refused", upload.Find("[data-testid=upload-message]").TextContent), WaitTimeout);
        Assert.Equal(22, Api.SentFiles.Count);
        Assert.All(Api.SentFiles, f => Assert.StartsWith("upload-1/", f));
        Assert.Equal(["upload-1"], Api.ImportedSessions);
        Assert.Equal("upload-1", imported?.Id);
        Assert.Contains("21 of 23 files arrived", upload.Find("[data-testid=upload-summary]").TextContent);
        Assert.Contains("2.9 of 2.9 MB sent", upload.Find("[data-testid=upload-summary]").TextContent);
        var refused = upload.FindAll("[data-testid=upload-item][data-state=Refused]").Select(r => r.TextContent).ToList();
        Assert.Contains(refused, r => r.Contains("'broken.jpg' is not a JPEG, PNG or WEBP image"));
        // Imported: nothing more to send until the next pick.
        Assert.True(upload.Find("[data-testid=upload]").HasAttribute("disabled"));
    }

    [Fact]
    public void AnUnfinishedUploadContinuedAfterAReloadSendsOnlyWhatItLacks()
    {
        Api.UploadSessions["covers-abc123"] = new UploadSessionView("covers-abc123", "Covers", "ocr-vqa", WebTestData.Started,
            [.. Enumerable.Range(0, 15).Select(i => new UploadedFile($"{i:D2}.jpg", 150_000))]);
        var upload = Render<DatasetUpload>();

        Assert.Contains("15 files", upload.Find("[data-testid=unfinished-upload]").TextContent);
        upload.Find("[data-testid=continue-upload]").Click();
        upload.FindComponents<InputFile>()[1].UploadFiles([.. Enumerable.Range(0, 20).Select(i => InputFileContent.CreateFromBinary(new byte[150_000], $"{i:D2}.jpg")),
            InputFileContent.CreateFromText("{}", "manifest.jsonl")]);
        Assert.Equal(15, upload.FindAll("[data-testid=upload-item][data-state=AlreadyThere]").Count);

        upload.Find("[data-testid=upload]").Click();

        upload.WaitForAssertion(() => Assert.Equal(["covers-abc123"], Api.ImportedSessions), WaitTimeout);
        Assert.Equal(["15.jpg", "16.jpg", "17.jpg", "18.jpg", "19.jpg", "manifest.jsonl"], Api.SentFiles.Select(f => f["covers-abc123/".Length..]).Order());
        Assert.Contains("21 files uploaded", upload.Find("[data-testid=upload-message]").TextContent);
    }
}
