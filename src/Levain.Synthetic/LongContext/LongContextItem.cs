namespace Levain.Synthetic.LongContext;

/// <summary>
/// A four-way multiple-choice retrieval item; scored like code items (<c>" " + Choices[i]</c> after
/// <see cref="Context"/>).
/// </summary>
/// <param name="Id">Stable id, e.g. <c>lc-single-2000-1000000003</c>.</param>
/// <param name="Task">Which retrieval task.</param>
/// <param name="Context">Filler with the needles, ending with the question and <c>Answer:</c>.</param>
/// <param name="Choices">Four distinct values.</param>
/// <param name="Gold">Index of the correct value.</param>
/// <param name="LengthInChars">Actual length of <see cref="Context"/>.</param>
/// <param name="QueryKey">The key or variable asked about.</param>
/// <param name="Needles">Every inserted statement, in context order.</param>
/// <param name="Provenance">Generator name, version, seed and parameters.</param>
public sealed record LongContextItem(
    string Id,
    LongContextTask Task,
    string Context,
    IReadOnlyList<string> Choices,
    int Gold,
    int LengthInChars,
    string QueryKey,
    IReadOnlyList<Needle> Needles,
    GeneratorProvenance Provenance)
{
    public string Answer => Choices[Gold];
}
