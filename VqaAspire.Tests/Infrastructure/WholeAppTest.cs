namespace VqaAspire.Tests.Infrastructure;

/// <summary>
/// The base of every whole-app test class: each test ends by checking that no resource of the app logged an error
/// the test did not expect (<see cref="VqaAppFixture.ExpectLoggedErrors"/>), so an error a user would find in the
/// logs fails the test that caused it.
/// </summary>
public abstract class WholeAppTest(VqaAppFixture app) : IAsyncLifetime
{
    private int _mark;

    /// <summary>The app the test class shares.</summary>
    protected VqaAppFixture Fixture => app;

    public virtual Task InitializeAsync()
    {
        _mark = app.ErrorMark();
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        app.AssertNoUnexpectedErrorsSince(_mark, "during this test");
        return Task.CompletedTask;
    }
}
