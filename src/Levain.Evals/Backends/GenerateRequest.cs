namespace Levain.Evals.Backends;

/// <summary>One generation request. Temperature 0 means greedy; the seed makes sampling reproducible.</summary>
public sealed record GenerateRequest(string Prompt, IReadOnlyList<string> Stop, int MaxTokens, int Seed = 0, double Temperature = 0);
