namespace Levain.Evals.Items;

/// <summary>
/// One evaluation item (docs/evals.md, "Items and tasks"). <see cref="Cluster"/> groups items that are not independent
/// (one passage, one generator seed) for clustered standard errors; it defaults to the item id.
/// </summary>
public sealed record EvalItem(
    string Id,
    string Context,
    IReadOnlyList<string> Choices,
    GoldAnswer Gold,
    ItemFormat Format,
    QualityLabel Quality,
    Provenance? Provenance = null,
    IReadOnlyDictionary<string, string>? Meta = null,
    string? ClusterId = null)
{
    public string Cluster => ClusterId ?? Id;

    /// <summary>The text an item shows a model: context, choices and the gold answer (what contamination checks look at).</summary>
    public string VisibleText =>
        Gold.IsChoice
            ? string.Join(' ', new[] { Context }.Concat(Choices))
            : Context + " " + string.Join(' ', Gold.Texts);
}
