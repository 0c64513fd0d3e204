using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Playwright;
using VqaAspire.Contracts;
using VqaAspire.Tests.Datasets;
using VqaAspire.Tests.Infrastructure;

namespace VqaAspire.Tests.Scenarios;

/// <summary>
/// What a person does by hand, in Chromium at a desktop's 1440x900 and a phone's 390x844: the new run form plans its
/// test split, sends the dataset it shows and refuses bad values at the field; every page fits the phone with a folding menu; badges have
/// colour; a pipeline's run and fine-tune pages say the emulator and open on the verdict, and each step's trace link
/// names the trace that holds that step's work; the playground answers side
/// by side; a folder of more than 1,024 files uploads. Screenshots go to screenshots/ beside the test assembly.
/// </summary>
[Trait("Category", TestCategories.Browser)]
[Collection(WholeAppCollections.First)]
public sealed class EverydayDashboardBrowserTests(EverydayDashboardBrowserTests.BrowserFixture fixture) : WholeAppTest(fixture), IClassFixture<EverydayDashboardBrowserTests.BrowserFixture>
{
    // A page of a busy machine: up to three apps, their browsers and the unit tests share two cores.
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PipelineTimeout = TimeSpan.FromMinutes(4);
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>A desktop and a phone.</summary>
    private static readonly (int Width, int Height)[] Sizes = [(1440, 900), (390, 844)];

    private const string Phone = "390";

    public sealed class BrowserFixture : VqaAppFixture
    {
        /// <summary>Where the run page's trace links point (no dashboard runs in tests; the links are read, not followed).</summary>
        public const string DashboardUrl = "http://dashboard.test:18888";

        /// <summary>The api's spans, to show each step's trace link lands on that step's work.</summary>
        public OtlpCapture Telemetry { get; private set; } = null!;

        protected override void Configure(IDistributedApplicationTestingBuilder builder)
        {
            // Follow the emulator's quick jobs closely.
            builder.CreateResourceBuilder<ProjectResource>("api").WithEnvironment("FineTuning__PollInterval", "00:00:01")
                .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", Telemetry.Endpoint)
                .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "200");
            builder.CreateResourceBuilder<ProjectResource>("web").WithEnvironment("Dashboard__Url", DashboardUrl);
        }

        public override async Task InitializeAsync()
        {
            Telemetry = await OtlpCapture.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Telemetry.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task NewRunSendsTheDatasetItShowsAndRefusesBadValuesAtTheField()
    {
        await WaitForSampleAsync();
        foreach (var (width, height) in Sizes)
        {
            await using var browser = await StartBrowserAsync(width, height);
            var page = browser.Page;
            await OpenAsync(page, "/runs/new?dataset=sample");
            // The select holds the dataset it shows: the browser's own check lets the form through.
            await Assertions.Expect(page.Locator("#run-dataset")).ToHaveValueAsync("sample");

            // The test-split planner answers in place (nothing is submitted) and its button sets the test split.
            await page.Locator("[data-testid=test-split-power] summary").ClickAsync();
            await SetNumberAsync(page, "#power-difference", "10");
            await page.Locator("[data-testid=power-plan]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=power-reading]")).ToContainTextAsync("To find a true difference of 10 points 80% of the time");
            await Assertions.Expect(page.Locator("[data-testid=power-reading]")).ToContainTextAsync("48 test covers");
            await page.Locator("[data-testid=power-use]").ClickAsync();
            await Assertions.Expect(page.Locator("#run-test input")).ToHaveValueAsync("48");
            Assert.Equal("/runs/new", new Uri(page.Url).AbsolutePath);

            await SetNumberAsync(page, "#run-train", "100000");
            await SetNumberAsync(page, "#run-few-shot", "20");
            await SetNumberAsync(page, "#run-quality", "0");
            await page.Locator("[data-testid=prepare]").ClickAsync();

            await Assertions.Expect(FieldError(page, "sampling.train")).ToContainTextAsync("The train split has 200 images");
            await Assertions.Expect(FieldError(page, "prompt.fewShotCount")).ToContainTextAsync("between 0 and 9");
            await Assertions.Expect(FieldError(page, "images.quality")).ToContainTextAsync("between 1 and 100");
            await Assertions.Expect(page.Locator("[data-testid=form-problems]")).ToContainTextAsync("Nothing was sent");
            Assert.Equal("/runs/new", new Uri(page.Url).AbsolutePath);
            await Screenshot(page, $"new-run-refused-{width}");

            await SetNumberAsync(page, "#run-train", "10");
            await SetNumberAsync(page, "#run-validation", "5");
            await SetNumberAsync(page, "#run-test", "5");
            await SetNumberAsync(page, "#run-few-shot", "1");
            await SetNumberAsync(page, "#run-quality", "50");
            await Assertions.Expect(page.Locator("[data-testid=field-error]")).ToHaveCountAsync(0);
            await page.Locator("[data-testid=prepare]").ClickAsync();

            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath is var path && path.StartsWith("/runs/", StringComparison.Ordinal) && path != "/runs/new");
            await Assertions.Expect(page.Locator("[data-testid=step-prepare]")).ToBeVisibleAsync();
            Assert.Empty(browser.ConsoleErrors);
        }
    }

    [ChromiumFact]
    public async Task EveryPageFitsThePhoneWithAFoldingMenuColouredBadgesAndVisibleFocus()
    {
        await WaitForSampleAsync();
        string[] paths = ["/", "/datasets", "/datasets/sample", "/runs", "/runs/new", "/fine-tunes", "/evaluations", "/playground"];
        foreach (var (width, height) in Sizes)
        {
            await using var browser = await StartBrowserAsync(width, height);
            var page = browser.Page;
            foreach (var path in paths)
            {
                await OpenAsync(page, path);
                // Nothing is cut off: the page never scrolls sideways; wide tables scroll inside their card.
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{path} at {width} px is {overflow} px wider than the screen");
                var content = await page.EvaluateAsync<string>(WidestContent);
                Assert.True(content == "", $"{path} at {width} px: {content}");
                if (width.ToString() == Phone)
                {
                    await Assertions.Expect(page.Locator("[data-testid=site-nav]")).ToBeHiddenAsync();
                    await Assertions.Expect(page.Locator("[data-testid=menu-button]")).ToBeVisibleAsync();
                }
                else
                {
                    await Assertions.Expect(page.Locator("[data-testid=site-nav]")).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator("[data-testid=menu-button]")).ToBeHiddenAsync();
                }

                await Screenshot(page, $"layout{(path == "/" ? "-home" : path.Replace('/', '-'))}-{width}");
            }

            // Home: the main button and both status cards are on screen whole.
            await OpenAsync(page, "/");
            foreach (var selector in new[] { "[data-testid=run-sample-pipeline]", "[data-testid=provider-status]", "[data-testid=cache-status]" })
            {
                var box = await page.Locator(selector).BoundingBoxAsync();
                Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width, $"{selector} at {width} px: {box?.X} + {box?.Width}");
            }

            // The keyboard's place is visible: tab to the first plain link (Fluent components draw their own focus).
            for (var tab = 0; tab < 12 && await page.EvaluateAsync<string>("() => document.activeElement.tagName") != "A"; tab++)
            {
                await page.Keyboard.PressAsync("Tab");
            }

            Assert.Equal("A", await page.EvaluateAsync<string>("() => document.activeElement.tagName"));
            Assert.Equal("solid", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

            // Badges in colour and words: the sample is ready, in green.
            await OpenAsync(page, "/datasets");
            var badge = page.Locator("[data-testid=datasets] [data-testid=step-status]").First;
            await Assertions.Expect(badge).ToHaveTextAsync("ready");
            Assert.Equal("rgb(14, 112, 14)", await badge.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));

            // The gallery: one card per image with all its questions; the enlarged view steps by keyboard and Escape closes it.
            await OpenAsync(page, "/datasets/sample");
            var card = page.Locator("[data-testid=gallery-item]").First;
            Assert.True(await card.Locator(".questions li").CountAsync() >= 2);
            await card.Locator("button").ClickAsync();
            var lightbox = page.Locator("[data-testid=lightbox]");
            await Assertions.Expect(lightbox).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Image .+, 1 of "));
            // The enlarged view takes the keyboard once it has rendered; a key pressed before then goes to the page.
            await Assertions.Expect(lightbox).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Assertions.Expect(lightbox).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Image .+, 2 of "));
            await Screenshot(page, $"gallery-enlarged-{width}");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(lightbox).ToHaveCountAsync(0);

            // Dark when the system is: the page's background follows the colour scheme.
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await OpenAsync(page, "/datasets");
            await page.WaitForFunctionAsync("() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 200; }",
                null, new() { Timeout = (float)PageTimeout.TotalMilliseconds });
            await Screenshot(page, $"dark-datasets-{width}");
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });

            if (width.ToString() == Phone)
            {
                await page.Locator("[data-testid=menu-button]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=site-nav]")).ToBeVisibleAsync();
                await Screenshot(page, $"menu-open-{width}");
                await page.Locator("[data-testid=site-nav] a[href='/runs']").ClickAsync();
                await page.WaitForURLAsync("**/runs");
                // Picking a page folds the menu again.
                await Assertions.Expect(page.Locator("[data-testid=site-nav]")).ToBeHiddenAsync();
            }

            Assert.Empty(browser.ConsoleErrors);
        }
    }

    [ChromiumFact]
    public async Task APipelinesPagesSayTheEmulatorOpenOnTheVerdictAndThePlaygroundComparesTheModels()
    {
        await WaitForSampleAsync();
        using var api = fixture.CreateHttpClient("api");
        var request = new PrepareRequest("sample", new SamplingSettings(10, 5, 8), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(), new EvaluationRequest()));
        using var started = await api.PostAsJsonAsync("/api/runs", request, Json);
        var run = (await started.Content.ReadFromJsonAsync<RunView>(Json))!;
        run = (await Polling.WaitAsync(() => api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json), r => r!.LatestEvaluationId is not null, PipelineTimeout))!;
        var evaluation = await Polling.WaitAsync(() => api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{run.LatestEvaluationId}", Json),
            e => e!.Step.Status is StepStatus.Succeeded or StepStatus.Failed, PipelineTimeout);
        Assert.Equal(StepStatus.Succeeded, evaluation!.Step.Status);

        foreach (var (width, height) in Sizes)
        {
            await using var browser = await StartBrowserAsync(width, height);
            var page = browser.Page;

            await OpenAsync(page, $"/runs/{run.Id}");
            await Assertions.Expect(page.Locator("[data-testid=verdict] [data-testid=verdict-model]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("[data-testid=verdict-difference]")).ToContainTextAsync("95% interval");
            await Assertions.Expect(page.Locator("[data-testid=emulated-label]")).ToHaveTextAsync("Emulator: not a real model");
            await Assertions.Expect(page.Locator("[data-testid=estimate-emulated]")).ToBeVisibleAsync();
            Assert.Equal("rgb(14, 112, 14)", await page.Locator("[data-testid=step-prepare] [data-testid=step-status]").EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor"));
            await Screenshot(page, $"run-verdict-{width}");
            if (width == Sizes[0].Width)
            {
                await EachStepsTraceLinkLandsOnItsWorkAsync(page);
            }

            await OpenAsync(page, $"/runs/{run.Id}/fine-tune");
            await Assertions.Expect(page.Locator("[data-testid=emulated-label]")).ToHaveTextAsync("Emulator: not a real model");
            await Assertions.Expect(page.Locator("[data-testid=curves-emulated]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=hyperparameters]")).ToContainTextAsync("Epochs");
            await Screenshot(page, $"fine-tune-{width}");

            await OpenAsync(page, $"/evaluations/{evaluation.Id}");
            var legend = page.Locator("[data-testid=overall-chart] [data-testid=legend]");
            await Assertions.Expect(legend).ToContainTextAsync("base");
            await Assertions.Expect(legend).ToContainTextAsync("fine-tuned");
            var fills = await page.Locator("[data-testid=overall-chart] rect").EvaluateAllAsync<string[]>("rects => rects.map(r => r.getAttribute('fill'))");
            Assert.DoesNotContain("#c50f1f", fills);
            Assert.Equal(2, fills.Distinct().Count());
            // The readings beyond the scores are on the page, and it still never scrolls sideways.
            await Assertions.Expect(page.Locator("[data-testid=minimum-detectable]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=changes-reading]")).ToContainTextAsync("fine-tuned fixed");
            await Assertions.Expect(page.Locator("[data-testid=cost-per-point-reading]")).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"the evaluation page at {width} px is {overflow} px wider than the screen");
            await Screenshot(page, $"evaluation-charts-{width}");

            await OpenAsync(page, "/playground");
            await page.Locator("[data-testid=image-option]").First.WaitForAsync();
            await page.Locator("[data-testid=ask]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=answer]")).ToHaveCountAsync(2, new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=answer]").Nth(1)).ToContainTextAsync("fine-tuned");
            await Assertions.Expect(page.Locator("[data-testid=answer-latency]").First).ToContainTextAsync("ms");
            Assert.Matches(@"^[1-9][\d,]* / [1-9]", await page.Locator("[data-testid=answer-tokens]").First.InnerTextAsync());
            await Screenshot(page, $"playground-{width}");
            Assert.Empty(browser.ConsoleErrors);
        }
    }

    /// <summary>
    /// After the one-click pipeline, "New evaluation" on the run page starts another with the same settings and opens
    /// it; once it has scores, the two are compared side by side, and on a phone (dark) the scores are cards.
    /// </summary>
    [ChromiumFact]
    public async Task AFinishedRunIsEvaluatedAgainAndItsEvaluationsAreComparedSideBySide()
    {
        await WaitForSampleAsync();
        using var api = fixture.CreateHttpClient("api");
        var request = new PrepareRequest("sample", new SamplingSettings(10, 5, 8), Prompt: new PromptSettings(FewShotCount: 1),
            Continue: new PipelineContinuation(new FineTuneRequest(), new EvaluationRequest()));
        using var started = await api.PostAsJsonAsync("/api/runs", request, Json);
        var run = (await started.Content.ReadFromJsonAsync<RunView>(Json))!;
        run = (await Polling.WaitAsync(() => api.GetFromJsonAsync<RunView>($"/api/runs/{run.Id}", Json), r => r!.LatestEvaluationId is not null, PipelineTimeout))!;
        var first = await Polling.WaitAsync(() => api.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{run.LatestEvaluationId}", Json),
            e => e!.Step.Status.IsFinished(), PipelineTimeout);

        await using (var browser = await StartBrowserAsync(Sizes[0].Width, Sizes[0].Height))
        {
            var page = browser.Page;
            await OpenAsync(page, $"/runs/{run.Id}");
            await page.Locator("[data-testid=new-evaluation] summary").ClickAsync();
            await page.Locator("[data-testid=start-new-evaluation]").ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/evaluations/", StringComparison.Ordinal) && !url.EndsWith(first!.Id, StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("[data-testid=compared-evaluation]")).ToHaveCountAsync(2, new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=compared-evaluation]").First.Locator("[data-testid=compared-scores]"))
                .ToContainTextAsync("fine-tuned", new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=model-scores]")).ToBeVisibleAsync();
            await Screenshot(page, $"evaluation-again-{Sizes[0].Width}");
            Assert.Empty(browser.ConsoleErrors);
        }

        var evaluations = await api.GetFromJsonAsync<List<EvaluationView>>($"/api/runs/{run.Id}/evaluations", Json);
        Assert.Equal(2, evaluations!.Count);
        var second = evaluations.Single(e => e.Id != first!.Id);
        Assert.Equal(first!.Settings, second.Settings);

        await using (var phone = await StartBrowserAsync(Sizes[1].Width, Sizes[1].Height))
        {
            var page = phone.Page;
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await OpenAsync(page, $"/evaluations/{second.Id}");
            // Cards instead of the 14-column table, and nothing wider than the screen.
            await Assertions.Expect(page.Locator("[data-testid=model-score-card]")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("[data-testid=model-scores]")).ToBeHiddenAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"the evaluation page at 390 px is {overflow} px wider than the screen");
            await Screenshot(page, $"evaluation-again-{Sizes[1].Width}-dark");
            Assert.Empty(phone.ConsoleErrors);
        }
    }

    [ChromiumFact]
    public async Task AFolderOfMoreThan1024FilesUploadsFromTheDatasetsPage()
    {
        var folder = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "folder-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var png = TestFolder.Png();
        var manifest = new StringBuilder();
        for (var i = 0; i < 1_100; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, $"{i:D4}.png"), png);
            manifest.Append($$"""{"image": "{{i:D4}}.png", "question": "Who wrote this book?", "answer": "Author {{i}}", "split": "train"}""").Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.jsonl"), manifest.ToString());
        foreach (var (width, height) in Sizes)
        {
            await using var browser = await StartBrowserAsync(width, height);
            var page = browser.Page;
            await OpenAsync(page, "/datasets");

            await page.Locator("#upload-files").SetInputFilesAsync(Directory.GetFiles(folder));
            await Assertions.Expect(page.Locator("[data-testid=upload-summary]")).ToContainTextAsync("0 of 1,101 files arrived");
            await page.Locator("[data-testid=upload]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=upload-message]")).ToContainTextAsync("1,101 files uploaded", new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=upload-summary]")).ToContainTextAsync("1,101 of 1,101 files arrived");
            await Screenshot(page, $"upload-1101-files-{width}");
            Assert.Empty(browser.ConsoleErrors);
        }
    }

    /// <summary>
    /// Ordinary covers (about 150 KB each, the kind that crashed the page when every file's stream was opened at once)
    /// are reviewed, then uploaded one by one with progress, a file that is not an image is refused by name, and the
    /// rest import: the dataset holds all 20 covers.
    /// </summary>
    [ChromiumFact]
    public async Task TwentyCoversOf150KbUploadWithABadFileRefusedByNameAndAllCoversArrive()
    {
        var folder = Path.Combine(Path.GetTempPath(), "vqaaspire-tests", "covers-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var manifest = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            var jpeg = NoisyCoverJpeg(seed: i);
            Assert.InRange(jpeg.Length, 120_000, 200_000);
            await File.WriteAllBytesAsync(Path.Combine(folder, $"cover-{i:D2}.jpg"), jpeg);
            manifest.Append($$"""{"image": "cover-{{i:D2}}.jpg", "question": "Who wrote this book?", "answer": "Author {{i}}", "split": "{{(i % 5 == 0 ? "test" : "train")}}"}""").Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.jsonl"), manifest.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, "not-a-cover.jpg"), "these are notes, not a JPEG");
        using var api = fixture.CreateHttpClient("api");
        foreach (var (width, height) in Sizes)
        {
            await using var browser = await StartBrowserAsync(width, height);
            var page = browser.Page;
            if (width.ToString() == Phone)
            {
                await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            }

            await OpenAsync(page, "/datasets");
            await page.Locator("#import-name input").FillAsync($"Covers {width}");
            await page.Locator("#import-name input").PressAsync("Tab");
            await page.Locator("#upload-folder").SetInputFilesAsync(folder);
            await Assertions.Expect(page.Locator("[data-testid=upload-item]").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=upload-summary]")).ToContainTextAsync("0 of 22 files arrived");
            await Screenshot(page, $"upload-covers-review-{width}");

            await page.Locator("[data-testid=upload]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=upload-message]")).ToContainTextAsync("21 files uploaded, 1 refused", new() { Timeout = (float)PipelineTimeout.TotalMilliseconds });
            await Assertions.Expect(page.Locator("[data-testid=upload-item][data-state=Refused]")).ToContainTextAsync("'not-a-cover.jpg' is not a JPEG, PNG or WEBP image");
            await Screenshot(page, $"upload-covers-done-{width}");
            var message = await page.Locator("[data-testid=upload-message]").InnerTextAsync();
            var id = System.Text.RegularExpressions.Regex.Match(message, @"importing (\S+),").Groups[1].Value;
            var dataset = await Polling.WaitAsync(() => api.GetFromJsonAsync<DatasetSummary>($"/api/datasets/{id}", Json), d => d?.Status is "ready" or "failed");
            Assert.Equal("ready", dataset!.Status);
            Assert.Equal($"Covers {width}", dataset.Name);
            Assert.Equal(20, dataset.Splits.Sum(s => s.Images));
            Assert.Empty(browser.ConsoleErrors);
        }
    }

    /// <summary>A cover of coloured noise about 150 KB as JPEG: a first draw measures the bytes per row, the second is sized from it.</summary>
    private static byte[] NoisyCoverJpeg(int seed)
    {
        const int Width = 400;
        const int WantedBytes = 150_000;
        var probe = NoisyJpeg(Width, 200, seed);
        return NoisyJpeg(Width, Math.Clamp(WantedBytes * 200 / probe.Length, 50, 4000), seed);
    }

    private static byte[] NoisyJpeg(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var shade = (byte)random.Next(256);
                    row[x] = new((byte)(shade / 2 + 60), (byte)(shade / 3 + 40), (byte)(255 - shade / 2));
                }
            }
        });
        using var stream = new MemoryStream();
        image.Save(stream, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 75 });
        return stream.ToArray();
    }

    /// <summary>The page's content scrolls sideways (something in it is cut off), named with its widest element; "" when it fits.</summary>
    private const string WidestContent = """
        () => {
          const body = document.querySelector('.body-content');
          if (body.scrollWidth <= body.clientWidth) return '';
          const widest = [...body.querySelectorAll('*')].filter(e => !e.closest('.table-scroll, table, svg'))
            .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
          return `content is ${body.scrollWidth - body.clientWidth} px too wide; widest: ${widest?.tagName}.${widest?.className} ${widest?.id}`;
        }
        """;

    private static ILocator FieldError(IPage page, string field) => page.Locator($"[data-testid=field-error][data-field='{field}']");

    /// <summary>Types into a Fluent number field's input and leaves it, as a person does (the value binds on change).</summary>
    private static async Task SetNumberAsync(IPage page, string selector, string value)
    {
        var input = page.Locator($"{selector} input");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>Keeps the prerendered heading, to tell when the interactive render has replaced it.</summary>
    private const string MarkPrerenderedHeading =
        "document.addEventListener('DOMContentLoaded', () => { window.__vqaPrerenderedHeading = document.querySelector('h1'); });";

    /// <summary>
    /// Each step's "Trace in the Aspire dashboard" link names a trace that holds that step's work: the fine-tune's
    /// creation and its polls, minutes after the step began, included (they once sat in traces nothing linked to).
    /// </summary>
    private async Task EachStepsTraceLinkLandsOnItsWorkAsync(IPage page)
    {
        (string Step, string[] Spans)[] expected =
        [
            ("prepare", ["vqa.prepare", "vqa.prepare.split"]),
            ("upload", ["vqa.upload", "POST"]),
            ("fine-tune", ["vqa.finetune", "vqa.finetune.create", "vqa.finetune.poll"]),
            ("evaluate", ["vqa.evaluate", "vqa.evaluate.model"]),
        ];
        foreach (var (step, spans) in expected)
        {
            var href = await page.Locator($"[data-testid=step-{step}] [data-testid=trace-link]").GetAttributeAsync("href");
            var prefix = $"{BrowserFixture.DashboardUrl}/traces/detail/";
            Assert.True(href?.StartsWith(prefix, StringComparison.Ordinal) == true, $"{step}'s trace link: {href}");
            var traceId = href![prefix.Length..];
            // Fails naming the spans the trace does hold.
            await Polling.WaitAsync(() => Task.FromResult(fixture.Telemetry.Spans().Where(s => s.TraceId == traceId).Select(s => s.Name).Distinct().Order().ToList()),
                found => spans.All(found.Contains), TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<BrowserSession> StartBrowserAsync(int width, int height)
    {
        var browser = await BrowserSession.StartAsync(PageTimeout, width, height);
        await browser.Page.AddInitScriptAsync(MarkPrerenderedHeading);
        return browser;
    }

    /// <summary>
    /// Opens a page and waits until it is interactive: Blazor does not adopt the prerendered elements, so the
    /// prerendered heading leaves the document once the circuit has drawn the page.
    /// </summary>
    private async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(WebUrl(path));
        await page.WaitForFunctionAsync("() => window.__vqaPrerenderedHeading && !window.__vqaPrerenderedHeading.isConnected",
            null, new() { Timeout = (float)PageTimeout.TotalMilliseconds });
        await page.Locator("h1").First.WaitForAsync();
        await page.WaitForTimeoutAsync(300);
    }

    private string WebUrl(string path) => new Uri(fixture.App.GetEndpoint("web", "http"), path).ToString();

    private async Task WaitForSampleAsync()
    {
        using var api = fixture.CreateHttpClient("api");
        var sample = await Polling.WaitAsync(() => api.GetFromJsonAsync<DatasetSummary>("/api/datasets/sample", Json), d => d?.Status is "ready" or "failed");
        Assert.Equal("ready", sample!.Status);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(DashboardBrowserTests.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardBrowserTests.ScreenshotFolder, $"{name}.png"), FullPage = true });
    }
}
