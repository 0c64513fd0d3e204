namespace VqaAspire.OpenAIEmulator.Models;

public static class ModelEndpoints
{
    /// <summary>Maps <c>GET /models</c> and <c>GET /models/{model}</c>.</summary>
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/models", (ModelCatalog catalog) => TypedResults.Ok(new ListObject<ModelObject>(catalog.List())))
            .WithName("ListModels");

        group.MapGet("/models/{model}", (string model, ModelCatalog catalog) =>
                catalog.Find(model) is { } found
                    ? Results.Ok(found)
                    : OpenAIError.NotFound($"The model '{model}' does not exist", "model"))
            .WithName("RetrieveModel");

        return group;
    }
}
