namespace Levain.Evals.Reports;

/// <summary>Of the rows whose gold answer sat at <paramref name="Position"/>, the fraction answered correctly.</summary>
public sealed record PositionRecall(int Position, int Rows, double Recall);
