namespace VqaAspire.Api.Preparation;

/// <summary>Where a preparation stands: images done out of images sampled.</summary>
public readonly record struct PreparationProgress(int ImagesDone, int ImagesTotal, string Message);
