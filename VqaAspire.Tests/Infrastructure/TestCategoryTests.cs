using System.Reflection;

namespace VqaAspire.Tests.Infrastructure;

/// <summary>The fast loop (<c>--filter Category=Unit</c>) holds only if no test class is left without its category.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class TestCategoryTests
{
    [Fact]
    public void EveryTestClassHasExactlyOneKnownCategory()
    {
        var offenders = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && HasTests(type))
            .Select(type => (type.FullName, Categories: CategoriesOf(type)))
            .Where(c => c.Categories.Count != 1 || !TestCategories.All.Contains(c.Categories[0]))
            .Select(c => $"{c.FullName}: [{string.Join(", ", c.Categories)}]")
            .Order()
            .ToList();

        Assert.True(offenders.Count == 0,
            $"Each test class needs one class-level [Trait(\"Category\", ...)] of {string.Join(", ", TestCategories.All)}; these have not:\n"
            + string.Join('\n', offenders));
    }

    private static bool HasTests(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Any(method => method.IsDefined(typeof(FactAttribute), inherit: true));

    /// <summary>The Category traits on the class and on its test methods (a method's own would put it in a second category).</summary>
    private static List<string> CategoriesOf(Type type) =>
        [.. type.GetCustomAttributesData()
            .Concat(type.GetMethods().SelectMany(method => method.GetCustomAttributesData()))
            .Where(attribute => attribute.AttributeType == typeof(TraitAttribute)
                && (string?)attribute.ConstructorArguments[0].Value == TestCategories.Name)
            .Select(attribute => (string?)attribute.ConstructorArguments[1].Value ?? "")];
}
