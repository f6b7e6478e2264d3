namespace Levain.Tuning.EarlyStopping;

/// <summary>
/// Early stopping on learning curves by cost-aware asynchronous successive halving (ASHA, Li et al. 2020, with rungs
/// measured in the study's cost instead of epochs). Rungs sit at costs <c>min_cost · reduction^k</c> (k = 0, 1, …).
/// Curves are compared only with curves of runs planned at a similar total cost (brackets a factor <c>reduction</c>
/// wide, by the planned cost a curve reports, as in Hyperband's brackets): at equal cost spent, a large run that has
/// just started is always behind a small run near its end, and judging them together would stop every large run.
/// Curves that do not say their planned cost share one bracket.
/// When a trial's curve first reaches a rung, the best metric it has reported so far is recorded there; the trial goes
/// on only if that value is among the best ⌈n / reduction⌉ of the n values recorded at the rung (every trial that
/// ever reached it, finished or stopped, this one included), and only once the rung holds at least
/// <see cref="EarlyStoppingOptions.MinTrials"/> values. So a trial is stopped when, at equal cost, most earlier curves
/// were better than it; a trial is never stopped before its curve reaches <c>min_cost</c>. Pure and deterministic:
/// the same reports in the same order give the same decisions (the tune loop replays stored progress on resume).
/// </summary>
public sealed class CostAwareAsha
{
    private readonly EarlyStoppingOptions _options;
    private readonly Direction _direction;
    private readonly Dictionary<int, List<List<double>>> _brackets = [];
    private readonly Dictionary<string, Curve> _curves = new(StringComparer.Ordinal);

    public CostAwareAsha(EarlyStoppingOptions options, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _direction = direction;
    }

    public EarlyStoppingOptions Options => _options;

    /// <summary>The cost of rung <paramref name="k"/>.</summary>
    public double RungCost(int k) => _options.MinCost * Math.Pow(_options.Reduction, k);

    /// <summary>How many values rung <paramref name="k"/> of the bracket of runs planned at <paramref name="plannedCost"/> holds.</summary>
    public int RungSize(int k, double? plannedCost = null) =>
        _brackets.TryGetValue(BracketOf(plannedCost), out var rungs) && k < rungs.Count ? rungs[k].Count : 0;

    /// <summary>The bracket of a planned total cost: ⌊log_η(planned / min_cost)⌋; one shared bracket when unknown.</summary>
    public int BracketOf(double? plannedCost) =>
        plannedCost is double p && double.IsFinite(p) && p > 0 ? (int)Math.Floor(Math.Log(p / _options.MinCost) / Math.Log(_options.Reduction)) : int.MinValue;

    /// <summary>
    /// One point of a trial's curve: its metric after spending <paramref name="cost"/> of a run planned to cost
    /// <paramref name="plannedCost"/> in all (null: unknown; read from the first report). Returns the decision, which
    /// says whether to stop it and, if so, at which rung and against how many values. Non-finite values and costs
    /// are ignored (the trial goes on). Reports after a stop decision are ignored too.
    /// </summary>
    public EarlyStoppingDecision Report(string trial, double cost, double value, double? plannedCost = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!double.IsFinite(cost) || !double.IsFinite(value) || cost < 0)
        {
            return EarlyStoppingDecision.Continue;
        }
        if (!_curves.TryGetValue(trial, out var curve))
        {
            curve = new Curve { Bracket = BracketOf(plannedCost) };
            _curves[trial] = curve;
        }
        if (curve.Stopped)
        {
            return EarlyStoppingDecision.Continue;
        }
        curve.Best = curve.Best is double b ? (IsBetter(value, b) ? value : b) : value;
        while (cost >= RungCost(curve.NextRung))
        {
            int k = curve.NextRung++;
            if (!_brackets.TryGetValue(curve.Bracket, out var rungs)) _brackets[curve.Bracket] = rungs = [];
            while (rungs.Count <= k) rungs.Add([]);
            var rung = rungs[k];
            rung.Add(curve.Best.Value);
            if (rung.Count < _options.MinTrials)
            {
                continue;
            }
            int keep = (int)Math.Ceiling(rung.Count / _options.Reduction);
            // Rank among the rung's values: how many are strictly better than this one.
            int better = rung.Count(v => IsBetter(v, curve.Best.Value));
            if (better >= keep)
            {
                curve.Stopped = true;
                return new EarlyStoppingDecision(true, k, RungCost(k), curve.Best.Value, rung.Count, keep);
            }
        }
        return EarlyStoppingDecision.Continue;
    }

    private bool IsBetter(double a, double b) => _direction == Direction.Minimize ? a < b : a > b;

    private sealed class Curve
    {
        public int NextRung;
        public int Bracket;
        public double? Best;
        public bool Stopped;
    }
}

/// <summary>
/// What <see cref="CostAwareAsha.Report"/> decided: stop or go on; when stopping, the rung (index and cost), the value
/// the trial had there, how many values the rung held and how many of them go on.
/// </summary>
public sealed record EarlyStoppingDecision(bool Stop, int Rung, double RungCost, double Value, int RungSize, int Kept)
{
    public static EarlyStoppingDecision Continue { get; } = new(false, -1, double.NaN, double.NaN, 0, 0);
}

/// <summary>
/// The study file's <c>early_stopping:</c> block. <see cref="MinCost"/>: the first rung's cost (in the study's cost
/// units; nothing is stopped before it); <see cref="Reduction"/> (η, default 3): rungs are η times apart and the best
/// 1/η of each rung go on; <see cref="MinTrials"/> (default 2⌈η⌉): values a rung needs before it stops anyone (on the
/// benchmark's learning-curve problem 2⌈η⌉ stopped fewer runs that would have ended on the front than ⌈η⌉).
/// </summary>
public sealed record EarlyStoppingOptions(double MinCost, double Reduction = 3.0, int? MinTrialsOrDefault = null)
{
    public int MinTrials => MinTrialsOrDefault ?? (2 * (int)Math.Ceiling(Reduction));

    public void Validate()
    {
        if (!double.IsFinite(MinCost) || MinCost <= 0) throw new ArgumentOutOfRangeException(nameof(MinCost), MinCost, "min_cost must be a positive number");
        if (!double.IsFinite(Reduction) || Reduction < 1.5 || Reduction > 100) throw new ArgumentOutOfRangeException(nameof(Reduction), Reduction, "reduction must be between 1.5 and 100");
        if (MinTrials < 2) throw new ArgumentOutOfRangeException(nameof(MinTrialsOrDefault), MinTrials, "min_trials must be at least 2");
    }
}
