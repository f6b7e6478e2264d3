namespace Levain.Tuning.Spaces;

/// <summary>
/// The docs/tuner.md A1 map between parameter units and basic units for one linear, log or logit parameter, with integer
/// rounding (half to even, in parameter space) and the basic-space bounds used for rejection (integers widened by 0.1).
/// Assumes the spec was validated by <see cref="ParameterSpecValidator"/>.
/// </summary>
internal sealed class NumericTransform
{
    private const double IntegerBoundWidening = 0.1;
    private readonly ParameterKind _kind;
    private readonly double _scale;
    private readonly double _lnBase;
    private readonly bool _isInteger;
    private readonly double _rounding;

    public NumericTransform(ParameterSpec spec)
    {
        _kind = spec.Kind;
        _scale = spec.Scale;
        _lnBase = Math.Log(spec.LogBase);
        _isInteger = spec.IsInteger;
        _rounding = spec.Rounding;
        var widening = _isInteger ? IntegerBoundWidening : 0.0;
        MinInBasic = spec.Min is { } min ? BoundToBasic(min - widening) : double.NegativeInfinity;
        MaxInBasic = spec.Max is { } max ? BoundToBasic(max + widening) : double.PositiveInfinity;
    }

    public double MinInBasic { get; }

    public double MaxInBasic { get; }

    public bool IsInteger => _isInteger;

    public double ToBasic(double valueInParam) => _kind switch
    {
        ParameterKind.Linear => valueInParam / _scale,
        ParameterKind.Log => Math.Log(valueInParam) / (_lnBase * _scale),
        _ => Math.Log10(valueInParam / (1.0 - valueInParam)) / _scale,
    };

    /// <summary>Basic → parameter units, without rounding.</summary>
    public double FromBasic(double xInBasic) => _kind switch
    {
        ParameterKind.Linear => xInBasic * _scale,
        ParameterKind.Log => Math.Exp(xInBasic * _scale * _lnBase),
        _ => 1.0 / (1.0 + Math.Pow(10.0, -xInBasic * _scale)),
    };

    /// <summary>Rounds an integer parameter to the nearest multiple of its step, half to even; others unchanged.</summary>
    public double Round(double valueInParam) =>
        _isInteger ? Math.Round(valueInParam / _rounding, MidpointRounding.ToEven) * _rounding : valueInParam;

    /// <summary>
    /// <see cref="Round"/>, except that a log-scaled integer (positive by construction) never rounds below one step: for
    /// values predicted beyond the data, such as the scale-up's, where 0 would be a setting no trial can run (the demo's
    /// scale-up once recommended depth = 0). The search keeps <see cref="Round"/>: there a log integer that rounds to 0
    /// has basic value −∞, which marks the candidate out of bounds rather than moving it to the bound.
    /// </summary>
    public double RoundPositive(double valueInParam) =>
        _isInteger && _kind == ParameterKind.Log ? Math.Max(Round(valueInParam), _rounding) : Round(valueInParam);

    /// <summary>Basic → parameter units, rounded for integer parameters (what a suggestion carries).</summary>
    public double FromBasicRounded(double xInBasic) => Round(FromBasic(xInBasic));

    /// <summary>basic → parameter → round → basic: the canonical basic value of an integer parameter.</summary>
    public double Canonicalize(double xInBasic) => _isInteger ? ToBasic(FromBasicRounded(xInBasic)) : xInBasic;

    public bool IsWithinBounds(double xInBasic) =>
        double.IsFinite(xInBasic) && xInBasic >= MinInBasic && xInBasic <= MaxInBasic;

    private double BoundToBasic(double boundInParam) => _kind switch
    {
        ParameterKind.Log when boundInParam <= 0 => double.NegativeInfinity,
        ParameterKind.Logit when boundInParam <= 0 => double.NegativeInfinity,
        ParameterKind.Logit when boundInParam >= 1 => double.PositiveInfinity,
        _ => ToBasic(boundInParam),
    };
}
