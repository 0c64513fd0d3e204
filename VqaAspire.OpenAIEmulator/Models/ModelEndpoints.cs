namespace VqaAspire.OpenAIEmulator.Models;

public static class ModelEndpoints
{
    /// <summary>Maps <c>GET /models</c> and <c>GET /models/{model}</c>.</summary>
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder group, string namePrefix = "")
    {
        group.MapGet("/models", (ModelCatalog catalog) => TypedResults.Ok(new ListObject<ModelObject>(catalog.List())))
            .WithName(namePrefix + "ListModels");

        group.MapGet("/models/{model}", (string model, ModelCatalog catalog) =>
                catalog.Find(model) is { } found
                    ? Results.Ok(found)
                    : OpenAIError.NotFound($"The model '{model}' does not exist", "model"))
            .WithName(namePrefix + "RetrieveModel");

        // Fine-tuned models can be deleted, as on OpenAI; what they learned goes with them.
        group.MapDelete("/models/{model}", (string model, ModelCatalog catalog, Chat.KnowledgeStore knowledge) =>
        {
            if (catalog.IsBase(model))
            {
                return OpenAIError.Result(StatusCodes.Status403Forbidden, $"You cannot delete the base model '{model}'; only fine-tuned models you own.", "invalid_request_error", "model", "model_not_deletable");
            }

            if (!catalog.Remove(model))
            {
                return OpenAIError.NotFound($"The model '{model}' does not exist", "model");
            }

            knowledge.Delete(model);
            return Results.Ok(new Files.DeletedObject(model, "model", true));
        }).WithName(namePrefix + "DeleteModel");

        return group;
    }
}
