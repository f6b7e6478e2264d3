namespace Levain.Health.Baseline;

/// <summary>A kernel-log template never seen on a healthy node, with the first raw line that produced it.</summary>
public sealed record UnseenLine(string Template, string Example, int Occurrences);
