using VqaAspire.Contracts;

namespace VqaAspire.Web.Components.Pages;

/// <summary>One image of the gallery and every question asked about it.</summary>
public sealed record GalleryCard(string ImageId, string ImageUrl, IReadOnlyList<DatasetExample> Questions)
{
    /// <summary>Adds a page of questions to the cards: consecutive questions of one image make one card, across pages too.</summary>
    public static List<GalleryCard> Append(IReadOnlyList<GalleryCard> cards, IReadOnlyList<DatasetExample> examples)
    {
        var result = cards.ToList();
        foreach (var example in examples)
        {
            if (result.Count > 0 && result[^1].ImageId == example.ImageId)
            {
                result[^1] = result[^1] with { Questions = [.. result[^1].Questions, example] };
            }
            else
            {
                result.Add(new GalleryCard(example.ImageId, example.ImageUrl, [example]));
            }
        }

        return result;
    }
}
