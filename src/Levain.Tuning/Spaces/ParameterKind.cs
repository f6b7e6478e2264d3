namespace Levain.Tuning.Spaces;

/// <summary>How a parameter maps to the tuner's basic space (docs/tuner.md A1) or which discrete kind it is (B2).</summary>
public enum ParameterKind
{
    /// <summary>b = v / scale.</summary>
    Linear,

    /// <summary>b = log_base(v) / scale; default min 0 (exclusive).</summary>
    Log,

    /// <summary>b = log10(p / (1 − p)) / scale; p in (0, 1); never integer.</summary>
    Logit,

    /// <summary>One of a fixed list of choices.</summary>
    Categorical,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>Non-negative weights over named components that sum to 1 (data-mix tuning).</summary>
    Simplex,
}
