namespace Levain.Lm.Data;

/// <summary>A named source to prepare: its input files and folders.</summary>
public sealed record DataSourceSpec(string Name, IReadOnlyList<string> Inputs);
