using Levain.Synthetic.Code.Items;

namespace Levain.Synthetic.Code.Corpus;

/// <summary>
/// The set of held-out program hashes. The training stream consults it to skip any program an evaluation item
/// uses, and tests or the trainer can verify a stream against it.
/// </summary>
public sealed class HeldOutGuard
{
    private readonly HashSet<string> _hashes;

    public HeldOutGuard(IEnumerable<string> heldOutProgramHashes)
    {
        ArgumentNullException.ThrowIfNull(heldOutProgramHashes);
        _hashes = new HashSet<string>(heldOutProgramHashes, StringComparer.Ordinal);
    }

    /// <summary>A guard holding the programs of <paramref name="items"/>.</summary>
    public static HeldOutGuard For(IEnumerable<CodeItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new HeldOutGuard(items.Select(item => item.ProgramHash));
    }

    public int Count => _hashes.Count;

    public bool IsHeldOut(string programHash) => _hashes.Contains(programHash);

    /// <summary>The documents whose program is not held out.</summary>
    public IEnumerable<TrainingDocument> Filter(IEnumerable<TrainingDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Where(document => !IsHeldOut(document.ProgramHash));
    }

    /// <summary>The documents among <paramref name="documents"/> that show a held-out program (empty when clean).</summary>
    public IReadOnlyList<TrainingDocument> FindLeaks(IEnumerable<TrainingDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.Where(document => IsHeldOut(document.ProgramHash)).ToList();
    }
}
