namespace Levain.Evals.Items;

/// <summary>A quality judgment on an item: its status, who said so, and why.</summary>
public sealed record QualityLabel(QualityStatus Status, string? Source = null, string? Note = null)
{
    public static QualityLabel Unreviewed { get; } = new(QualityStatus.Ok);

    public bool IsClean => Status == QualityStatus.Ok;
}
