using System.ComponentModel.DataAnnotations;

namespace VqaAspire.Api.Datasets.HuggingFace;

/// <summary>Where and how datasets are downloaded from the Hugging Face Hub (section <c>HuggingFace</c>).</summary>
public sealed class HuggingFaceOptions
{
    public const string SectionName = "HuggingFace";

    /// <summary>The Hub's base address (a mirror or a test server may stand in).</summary>
    [Required, Url]
    public string Endpoint { get; set; } = "https://huggingface.co";

    /// <summary>Token used when an import request brings none. A secret: never logged or returned.</summary>
    public string? Token { get; set; }

    /// <summary>Attempts per shard; each one resumes where the last stopped.</summary>
    [Range(1, 100)]
    public int Attempts { get; set; } = 4;
}
