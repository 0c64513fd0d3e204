namespace VqaAspire.Contracts;

/// <summary>Azure OpenAI serves a fine-tuned model only through a deployment: <c>POST /api/runs/{id}/fine-tune/deployment</c>.</summary>
public sealed record DeploymentRequest(string DeploymentName);
