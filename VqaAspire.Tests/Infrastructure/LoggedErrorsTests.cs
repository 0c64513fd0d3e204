using System.Text.RegularExpressions;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// The end-of-test check every whole-app class runs: a <c>fail</c> entry with its stack, or a line on stderr, is an
/// error; information and warnings are not; an error the test listed passes and any other fails, naming it.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class LoggedErrorsTests
{
    [Fact]
    public void AFailEntryIsOneErrorWithTheIndentedLinesUnderIt()
    {
        var errors = new LoggedErrors();
        errors.Add("api-1", "info: VqaAspire.Api.Runs[0]", isErrorStream: false);
        errors.Add("api-1", "      Run 42 prepared.", isErrorStream: false);
        errors.Add("api-1", "2026-12-07T23:10:00.1234567Z fail: Microsoft.AspNetCore.Server.Kestrel[13]", isErrorStream: false);
        errors.Add("api-1", "      Connection id \"0HN\", Request id \"0HN:1\": An unhandled exception was thrown by the application.", isErrorStream: false);
        errors.Add("api-1", "      System.TimeoutException: The operation has timed out.", isErrorStream: false);
        errors.Add("api-1", "warn: VqaAspire.Api.Workers[0]", isErrorStream: false);
        errors.Add("api-1", "      Lease renewed late.", isErrorStream: false);

        var entry = Assert.Single(errors.Since(0));
        Assert.Equal("api-1", entry.Instance);
        Assert.StartsWith("fail: Microsoft.AspNetCore.Server.Kestrel[13]", entry.Text);
        Assert.Contains("System.TimeoutException", entry.Text);
        Assert.DoesNotContain("Lease renewed late", entry.Text);
    }

    [Fact]
    public void ALineOnStandardErrorIsAnErrorAndCriticalEntriesAreToo()
    {
        var errors = new LoggedErrors();
        errors.Add("web", "Unhandled exception. System.InvalidOperationException: boom", isErrorStream: true);
        errors.Add("web", "   at Program.Main()", isErrorStream: true);
        errors.Add("api-2", "crit: Microsoft.Hosting.Lifetime[0]", isErrorStream: false);

        Assert.Equal(2, errors.Count);
        Assert.Contains("at Program.Main()", errors.Since(0)[0].Text);
        Assert.Single(errors.Since(1));
    }

    [Fact]
    public void OnlyErrorsNoPatternExpectsFailTheCheckAndEachIsNamed()
    {
        var errors = new LoggedErrors();
        errors.Add("api-1", "fail: VqaAspire.Api.Evaluation[0]", isErrorStream: false);
        errors.Add("api-1", "      The emulator answered 500 (injected fault).", isErrorStream: false);
        var mark = errors.Count;
        errors.Add("api-2", "fail: VqaAspire.Api.Runs[0]", isErrorStream: false);
        errors.Add("api-2", "      Run state could not be read.", isErrorStream: false);

        errors.AssertNoneUnexpectedSince(0, [new Regex("injected fault"), new Regex("could not be read")], "during this test");
        errors.AssertNoneUnexpectedSince(mark, [new Regex("could not be read")], "during this test");
        var failure = Assert.ThrowsAny<Exception>(() => errors.AssertNoneUnexpectedSince(0, [new Regex("injected fault")], "during this test"));
        Assert.Contains("1 error(s) logged by the app during this test", failure.Message);
        Assert.Contains("api-2: fail: VqaAspire.Api.Runs[0]", failure.Message);
        Assert.DoesNotContain("injected fault", failure.Message);
    }

    [Fact]
    public void WhatTheAppLogsWhileItStopsIsNotCounted()
    {
        var errors = new LoggedErrors();
        errors.Stop();
        errors.Add("api-1", "fail: Microsoft.Extensions.Hosting.Internal.Host[11]", isErrorStream: false);

        Assert.Equal(0, errors.Count);
    }
}
