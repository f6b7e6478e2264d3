namespace Levain.Lm.Training;

/// <summary>
/// A batch source whose read position can be saved into a checkpoint and restored, so a resumed run sees exactly the
/// batches an uninterrupted run would have seen. The state is an opaque JSON text owned by the source (cursor, random
/// generator state, per-source positions of a mix); the checkpoint stores it verbatim.
/// </summary>
public interface IResumableBatchSource : ITokenBatchSource
{
    /// <summary>The position after the last batch returned by <see cref="ITokenBatchSource.Next"/>, as JSON.</summary>
    string SaveState();

    /// <summary>Continues from a state written by <see cref="SaveState"/> of a source built with the same data and settings.</summary>
    void RestoreState(string state);
}
