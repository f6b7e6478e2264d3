using System.Collections.ObjectModel;

namespace Levain.Tuning.Spaces;

/// <summary>
/// A validated list of parameters and the basic space the tuner works in (docs/tuner.md A1, B2).
/// <para>Basic-space layout (a <c>double[]</c> of length <see cref="BasicDimension"/>): first the
/// <see cref="ContinuousDimension"/> continuous coordinates, in parameter order — one per linear/log/logit parameter and
/// K per K-component simplex — then one coordinate per categorical or boolean parameter holding the choice index
/// (false = 0, true = 1).</para>
/// <para>Simplex encoding: centred log-ratio in base 10, b_i = log10 w_i − mean_k log10 w_k (weights floored at 1e-6),
/// back by a base-10 softmax. The K coordinates sum to 0; candidate noise is projected back onto that plane. A step of 1
/// changes a component's weight ratio to the others by about 10×, matching the log kind. Coordinates are bounded by ±6
/// (every weight ≥ 1e-6 relative to the largest).</para>
/// </summary>
public sealed partial class SearchSpace
{
    private readonly ParameterSpec[] _parameters;
    private readonly Dictionary<string, int> _indexByName;
    private readonly NumericTransform?[] _numeric;
    private readonly int[] _offsets;
    private readonly int[] _categoryCounts;
    private readonly List<(int Start, int Count)> _simplexBlocks = [];

    public SearchSpace(IEnumerable<ParameterSpec> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("A search space needs at least one parameter.", nameof(parameters));
        }
        _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        _numeric = new NumericTransform?[_parameters.Length];
        _offsets = new int[_parameters.Length];
        var categoryCounts = new List<int>();
        var continuous = 0;
        for (var p = 0; p < _parameters.Length; p++)
        {
            var spec = _parameters[p] ?? throw new ArgumentException($"Parameter #{p} is null.", nameof(parameters));
            ParameterSpecValidator.Validate(spec);
            if (!_indexByName.TryAdd(spec.Name, p))
            {
                throw new ArgumentException($"Parameter '{spec.Name}' appears twice.", nameof(parameters));
            }
            switch (spec.Kind)
            {
                case ParameterKind.Categorical:
                case ParameterKind.Boolean:
                    _offsets[p] = categoryCounts.Count;
                    categoryCounts.Add(spec.Kind == ParameterKind.Boolean ? 2 : spec.Choices.Count);
                    break;
                case ParameterKind.Simplex:
                    _offsets[p] = continuous;
                    _simplexBlocks.Add((continuous, spec.Choices.Count));
                    continuous += spec.Choices.Count;
                    break;
                default:
                    _numeric[p] = new NumericTransform(spec);
                    _offsets[p] = continuous;
                    continuous++;
                    break;
            }
        }
        ContinuousDimension = continuous;
        _categoryCounts = [.. categoryCounts];
        for (var p = 0; p < _parameters.Length; p++)
        {
            if (_parameters[p].Kind is ParameterKind.Categorical or ParameterKind.Boolean)
            {
                _offsets[p] += continuous;
            }
        }
        Parameters = new ReadOnlyCollection<ParameterSpec>(_parameters);
        Center = new ReadOnlyDictionary<string, ParamValue>(_parameters.ToDictionary(s => s.Name, CenterOf, StringComparer.Ordinal));
        CenterInBasic = ToBasic(Center);
    }

    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>The search center as an assignment (integers rounded).</summary>
    public IReadOnlyDictionary<string, ParamValue> Center { get; }

    /// <summary>Length of a basic-space vector.</summary>
    public int BasicDimension => ContinuousDimension + _categoryCounts.Length;

    /// <summary>Continuous basic coordinates (numeric parameters and simplex components), first in the vector.</summary>
    public int ContinuousDimension { get; }

    /// <summary>Categorical/boolean coordinates, last in the vector.</summary>
    public int CategoricalDimension => _categoryCounts.Length;

    /// <summary>The search center in basic units (a copy).</summary>
    internal double[] CenterInBasic { get; }

    internal IReadOnlyList<(int Start, int Count)> SimplexBlocks => _simplexBlocks;

    public ParameterSpec this[string name] => _parameters[IndexOf(name)];

    /// <summary>Number of choices of the categorical coordinate <paramref name="categoricalIndex"/> (0-based among categoricals).</summary>
    public int CategoryCount(int categoricalIndex) => _categoryCounts[categoricalIndex];

    /// <summary>The basic-space transform of a linear/log/logit parameter, or null for other kinds.</summary>
    internal NumericTransform? NumericTransformOf(string name) => _numeric[IndexOf(name)];

    /// <summary>
    /// The box of the global candidates (<see cref="CarbsOptions.GlobalCandidateShare"/>): per continuous basic
    /// coordinate, the parameter's basic bounds where finite (integers widened as in the rejection test), the center ±
    /// <paramref name="unboundedHalfWidth"/> on an unbounded side; simplex coordinates ± min(half width, the simplex limit).
    /// </summary>
    internal (double Low, double High)[] ContinuousBoxInBasic(double unboundedHalfWidth)
    {
        var box = new (double Low, double High)[ContinuousDimension];
        for (var p = 0; p < _parameters.Length; p++)
        {
            var offset = _offsets[p];
            switch (_parameters[p].Kind)
            {
                case ParameterKind.Categorical:
                case ParameterKind.Boolean:
                    break;
                case ParameterKind.Simplex:
                    var limit = Math.Min(unboundedHalfWidth, SimplexCoordinateLimit);
                    for (var i = 0; i < _parameters[p].Choices.Count; i++)
                    {
                        box[offset + i] = (-limit, limit);
                    }
                    break;
                default:
                    var numeric = _numeric[p]!;
                    var center = CenterInBasic[offset];
                    box[offset] = (double.IsFinite(numeric.MinInBasic) ? numeric.MinInBasic : center - unboundedHalfWidth,
                        double.IsFinite(numeric.MaxInBasic) ? numeric.MaxInBasic : center + unboundedHalfWidth);
                    break;
            }
        }
        return box;
    }

    /// <summary>Whether the space has a parameter with this name.</summary>
    public bool Contains(string name) => _indexByName.ContainsKey(name);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for an unknown or missing name, a value of the wrong kind, a non-finite
    /// number, an unknown choice, malformed simplex weights, or a number outside the parameter's bounds.
    /// </summary>
    public void Validate(IReadOnlyDictionary<string, ParamValue> assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        foreach (var name in assignment.Keys)
        {
            if (!_indexByName.ContainsKey(name))
            {
                throw new ArgumentException($"Unknown parameter '{name}'; the space has {string.Join(", ", _parameters.Select(s => s.Name))}.", nameof(assignment));
            }
        }
        foreach (var spec in _parameters)
        {
            if (!assignment.TryGetValue(spec.Name, out var value))
            {
                throw new ArgumentException($"Parameter '{spec.Name}' is missing from the assignment.", nameof(assignment));
            }
            ValidateValue(spec, value);
        }
    }

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _indexByName.TryGetValue(name, out var index)
            ? index
            : throw new ArgumentException($"Unknown parameter '{name}'; the space has {string.Join(", ", _parameters.Select(s => s.Name))}.", nameof(name));
    }

    private static void ValidateValue(ParameterSpec spec, ParamValue value)
    {
        var expected = spec.Kind switch
        {
            ParameterKind.Categorical => ParamValueKind.Choice,
            ParameterKind.Boolean => ParamValueKind.Flag,
            ParameterKind.Simplex => ParamValueKind.Weights,
            _ => ParamValueKind.Number,
        };
        if (value.Kind != expected)
        {
            throw new ArgumentException($"Parameter '{spec.Name}' ({spec.Kind}) needs a {expected} value, not a {value.Kind} ('{value}').", "assignment");
        }
        switch (spec.Kind)
        {
            case ParameterKind.Categorical when !spec.Choices.Contains(value.Choice!, StringComparer.Ordinal):
                throw new ArgumentException($"Parameter '{spec.Name}': '{value.Choice}' is not one of {string.Join(", ", spec.Choices)}.", "assignment");
            case ParameterKind.Simplex:
                ParameterSpecValidator.ValidateWeights(spec.Name, "value", value.Weights, spec.Choices.Count, requirePositive: false);
                break;
            case ParameterKind.Linear or ParameterKind.Log or ParameterKind.Logit:
                ValidateNumber(spec, value.Number);
                break;
        }
    }

    private static void ValidateNumber(ParameterSpec spec, double v)
    {
        var tolerance = 1e-9 * Math.Max(1.0, Math.Abs(v));
        var widening = spec.IsInteger ? 0.1 : 0.0;
        var outside = !double.IsFinite(v)
            || (spec.Min is { } min && v < min - widening - tolerance)
            || (spec.Max is { } max && v > max + widening + tolerance)
            || (spec.Kind == ParameterKind.Log && v <= 0)
            || (spec.Kind == ParameterKind.Logit && v is <= 0 or >= 1);
        if (outside)
        {
            throw new ArgumentException($"Parameter '{spec.Name}': {v:R} is outside its bounds [{spec.Min?.ToString("R") ?? "-inf"}, {spec.Max?.ToString("R") ?? "inf"}].", "assignment");
        }
    }

    private ParamValue CenterOf(ParameterSpec spec) => spec.Kind switch
    {
        ParameterKind.Categorical => ParamValue.FromChoice(spec.CenterChoice ?? spec.Choices[0]),
        ParameterKind.Boolean => ParamValue.FromFlag(spec.CenterFlag ?? false),
        ParameterKind.Simplex => ParamValue.FromWeights(spec.CenterWeights ?? Enumerable.Repeat(1.0 / spec.Choices.Count, spec.Choices.Count)),
        _ => ParamValue.FromNumber(_numeric[_indexByName[spec.Name]]!.Round(spec.Center!.Value)),
    };
}
