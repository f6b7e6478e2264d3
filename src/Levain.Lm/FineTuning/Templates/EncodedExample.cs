using Levain.Lm.FineTuning.Data;

namespace Levain.Lm.FineTuning.Templates;

/// <summary>
/// An example as token ids with, per token, whether it is a training target (<see cref="IsTrained"/>[i] says whether
/// the model is trained to predict token i from tokens 0..i-1).
/// </summary>
public sealed record EncodedExample(int[] Tokens, bool[] IsTrained, FineTuneExample Source)
{
    public int TrainedCount => IsTrained.Count(t => t);
}
