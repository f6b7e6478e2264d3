namespace Levain.Evals.Backends;

/// <summary>The outcome of a backend's self-test: whether scoring can be trusted, and why not when it cannot.</summary>
public sealed record SelfTestResult(bool IsPassed, string Message);
