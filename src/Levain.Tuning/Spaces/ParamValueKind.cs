namespace Levain.Tuning.Spaces;

/// <summary>Which member of a <see cref="ParamValue"/> is set.</summary>
public enum ParamValueKind
{
    Number,
    Choice,
    Flag,
    Weights,
}
