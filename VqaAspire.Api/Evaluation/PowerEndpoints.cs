using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VqaAspire.Api.Preparation;
using VqaAspire.Contracts;

namespace VqaAspire.Api.Evaluation;

public static class PowerEndpoints
{
    /// <summary>Maps the power plan: how many test covers an evaluation needs before anything is spent.</summary>
    public static IEndpointRouteBuilder MapPowerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/evaluations/power-plan", PlanAsync).WithTags("Evaluation").WithName("PlanEvaluationPower")
            .WithSummary("Covers, requests and money needed to detect a chosen difference at 80% power, 5% two-sided, from a pilot or stated figures.");
        return app;
    }

    private static async Task<Results<Ok<PowerPlan>, ProblemHttpResult>> PlanAsync(PowerPlanRequest? request, EvaluationStore store, IOptions<PricingOptions> pricing)
    {
        if (request is null)
        {
            return Problems.BadRequest("Invalid power plan", "The body must give differencePoints.");
        }

        if (PowerPlanner.Problem(request) is { } problem)
        {
            return Problems.BadRequest("Invalid power plan", problem);
        }

        EvaluationView? pilot = null;
        if (request.PilotEvaluationId is { Length: > 0 } pilotId)
        {
            pilot = await store.GetAsync(pilotId);
            if (pilot is null)
            {
                return Problems.NotFound("Pilot not found", $"There is no evaluation '{pilotId}' (pilotEvaluationId).");
            }

            if (pilot.Summary?.Power is null)
            {
                return Problems.BadRequest("Pilot not scored", $"Evaluation '{pilotId}' (pilotEvaluationId) has no scored comparison of two models to plan from.");
            }
        }

        return TypedResults.Ok(PowerPlanner.Plan(request, pilot, pricing.Value));
    }
}
