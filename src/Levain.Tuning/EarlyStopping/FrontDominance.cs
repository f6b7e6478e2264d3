namespace Levain.Tuning.EarlyStopping;

/// <summary>
/// Early stopping when a curve is dominated at equal cost by the front: a trial planned to cost P in all is stopped at
/// cost c when even an optimistic projection of its curve to P is worse than the best value some curve has already
/// reached at a cost ≤ P.
/// <list type="bullet">
/// <item>The front is built from the curves themselves: every reported point (cost, value) of every trial, its value
/// smoothed as the mean of that point and the curve's previous <see cref="FrontDominanceOptions.SmoothingPoints"/> − 1
/// points (one noisy low point does not set it). A curve's point at cost c is what a run of cost c reaches (exactly so
/// when the run length is a parameter and the schedule does not depend on it; a run cut from a longer schedule only
/// makes the front more cautious), so the front at P is the best value known to be reachable with P.</item>
/// <item>The projection: least squares of the value on ln(cost) over the curve's points in the window
/// [c / <see cref="FrontDominanceOptions.Window"/>, c], evaluated at ln P, minus
/// <see cref="FrontDominanceOptions.Confidence"/> standard errors of that prediction (the window's residual noise,
/// at least <see cref="FrontDominanceOptions.NoiseFloor"/> × the window's mean level, through the fit's covariance).
/// Learning curves flatten in log cost (power laws after their first steps, exponentials after their time constant),
/// so a straight line in ln(cost) through the recent points ends below where the curve ends: optimistic. A curve
/// that is getting worse is projected flat at its fit at c.</item>
/// <item>A curve is judged only once it has spent <see cref="FrontDominanceOptions.MinCost"/>, has at least
/// <see cref="FrontDominanceOptions.MinPoints"/> points in the window, says its planned cost and has not reached it,
/// and the front holds a point at a cost ≤ P.</item>
/// </list>
/// Unlike <see cref="CostAwareAsha"/> it needs no rung of comparable curves, so the expensive runs — where the cost
/// is — can be stopped too, and a large run that is behind small runs at equal cost spent but projects below the
/// front is not. Near-equal curves are not stopped on noise (the margin). Pure and deterministic: the same reports in
/// the same order give the same decisions (replay on resume).
/// </summary>
public sealed class FrontDominance
{
    private readonly FrontDominanceOptions _options;
    private readonly double _sign;
    private readonly Dictionary<string, Curve> _curves = new(StringComparer.Ordinal);

    // The front's points: (cost, smoothed value in minimised sign), sorted by cost, with a running best kept on demand.
    private readonly List<(double Cost, double Value)> _front = [];

    public FrontDominance(FrontDominanceOptions options, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _sign = direction == Direction.Minimize ? 1.0 : -1.0;
    }

    public FrontDominanceOptions Options => _options;

    /// <summary>The best smoothed value any curve reached at a cost ≤ <paramref name="cost"/> (null: none yet).</summary>
    public double? FrontAt(double cost)
    {
        double? best = null;
        foreach (var (c, v) in _front)
        {
            if (c > cost) break;
            if (best is not double b || v < b) best = v;
        }
        return best is double x ? _sign * x : null;
    }

    /// <summary>
    /// One point of a trial's curve: its metric after spending <paramref name="cost"/> of a run planned to cost
    /// <paramref name="plannedCost"/> in all. Without a planned cost the trial is never stopped (there is no cost at
    /// which to compare it), but its points still build the front. Non-finite values and costs are ignored; reports
    /// after a stop decision are ignored.
    /// </summary>
    public FrontDecision Report(string trial, double cost, double value, double? plannedCost = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!double.IsFinite(cost) || !double.IsFinite(value) || cost <= 0)
        {
            return FrontDecision.Continue;
        }
        if (!_curves.TryGetValue(trial, out var curve))
        {
            curve = new Curve();
            _curves[trial] = curve;
        }
        if (curve.Stopped)
        {
            return FrontDecision.Continue;
        }
        var y = _sign * value;
        curve.Costs.Add(cost);
        curve.Values.Add(y);
        // Judge against the front as it was before this point (its own point would only make the judgement noisier).
        var decision = Judge(curve, cost, plannedCost);
        AddToFront(cost, Smoothed(curve));
        if (decision.Stop)
        {
            curve.Stopped = true;
        }
        return decision;
    }

    private FrontDecision Judge(Curve curve, double cost, double? plannedCost)
    {
        if (plannedCost is not double planned || !double.IsFinite(planned) || planned <= cost * (1 + 1e-9) || cost < _options.MinCost)
        {
            return FrontDecision.Continue;
        }
        if (WindowCount(curve, cost) < _options.MinPoints)
        {
            return FrontDecision.Continue;
        }
        var frontValue = FrontMin(planned);
        if (frontValue is not double front)
        {
            return FrontDecision.Continue;
        }
        if (Fit(curve, cost, planned) is not { } fit)
        {
            return FrontDecision.Continue;
        }
        var optimistic = fit.Central - (_options.Confidence * fit.StandardError);
        if (optimistic > front)
        {
            return new FrontDecision(true, cost, planned, _sign * optimistic, _sign * front) { ProjectedFinal = _sign * fit.Final };
        }
        return FrontDecision.Continue;
    }

    /// <summary>
    /// The estimate of the value a trial's complete run would have reached at <paramref name="plannedCost"/> (metric
    /// units): the midpoint of two bounds from the straight line in ln(cost) through the points in
    /// [c / <see cref="FrontDominanceOptions.Window"/>, c] (c: the cost of its last report) that the rule judges by —
    /// the line at ln(planned cost), without the confidence margin (a learning curve flattens in ln(cost), so the line
    /// ends beyond it: an optimistic bound), and the line at ln c (the curve is still improving, so its end is better:
    /// a pessimistic bound). A curve getting worse is held at its fit at c. Null when the trial has fewer than 3 points
    /// in its window, the window's costs are all equal, or it is unknown. For a stopped run without a complete
    /// shorter run the tuner is told this value at the planned cost (<see cref="StoppedRunObservation"/>), not the
    /// value where it was cut (docs/tuner.md, "Early stopping").
    /// </summary>
    public double? ProjectFinal(string trial, double plannedCost)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!double.IsFinite(plannedCost) || plannedCost <= 0 || !_curves.TryGetValue(trial, out var curve) || curve.Costs.Count == 0)
        {
            return null;
        }
        var cost = curve.Costs[^1];
        if (WindowCount(curve, cost) < 3)
        {
            return null;
        }
        return Fit(curve, cost, Math.Max(plannedCost, cost)) is { } fit ? _sign * fit.Final : null;
    }

    private int WindowCount(Curve curve, double cost)
    {
        var from = cost / _options.Window;
        var n = 0;
        for (var i = curve.Costs.Count - 1; i >= 0 && curve.Costs[i] >= from; i--) n++;
        return n;
    }

    /// <summary>
    /// Least squares of the (signed) value on ln(cost) over the window ending at <paramref name="cost"/>: the line at
    /// ln(<paramref name="planned"/>) with its standard error, and the estimated final value (midpoint of the line at
    /// ln planned and at ln cost).
    /// </summary>
    private (double Central, double StandardError, double Final)? Fit(Curve curve, double cost, double planned)
    {
        var n = WindowCount(curve, cost);
        double sx = 0, sy = 0;
        for (var i = curve.Costs.Count - n; i < curve.Costs.Count; i++)
        {
            sx += Math.Log(curve.Costs[i]);
            sy += curve.Values[i];
        }
        double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
        for (var i = curve.Costs.Count - n; i < curve.Costs.Count; i++)
        {
            var dx = Math.Log(curve.Costs[i]) - mx;
            sxx += dx * dx;
            sxy += dx * (curve.Values[i] - my);
        }
        if (sxx <= 0)
        {
            return null;
        }
        var slope = sxy / sxx;
        var intercept = my - (slope * mx);
        double rss = 0;
        for (var i = curve.Costs.Count - n; i < curve.Costs.Count; i++)
        {
            var r = curve.Values[i] - (intercept + (slope * Math.Log(curve.Costs[i])));
            rss += r * r;
        }
        var sigma = Math.Max(Math.Sqrt(rss / Math.Max(1, n - 2)), _options.NoiseFloor * Math.Abs(my));
        // A curve getting worse is projected flat from its fit at the current cost, not upward.
        var xUsed = slope < 0 ? Math.Log(planned) : Math.Log(cost);
        var central = intercept + (slope * xUsed);
        var se = sigma * Math.Sqrt((1.0 / n) + ((xUsed - mx) * (xUsed - mx) / sxx));
        var now = intercept + (slope * Math.Log(cost));
        return (central, se, 0.5 * (central + now));
    }

    private double? FrontMin(double cost)
    {
        double? best = null;
        foreach (var (c, v) in _front)
        {
            if (c > cost) break;
            if (best is not double b || v < b) best = v;
        }
        return best;
    }

    private double Smoothed(Curve curve)
    {
        var k = Math.Min(_options.SmoothingPoints, curve.Values.Count);
        double sum = 0;
        for (var i = curve.Values.Count - k; i < curve.Values.Count; i++) sum += curve.Values[i];
        return sum / k;
    }

    private void AddToFront(double cost, double value)
    {
        // Only points that improve on the front at their cost matter; keep the list sorted by cost.
        if (FrontMin(cost) is double best && best <= value) return;
        var index = _front.BinarySearch((cost, value), Comparer<(double Cost, double Value)>.Create((a, b) => a.Cost.CompareTo(b.Cost)));
        _front.Insert(index < 0 ? ~index : index, (cost, value));
    }

    private sealed class Curve
    {
        public readonly List<double> Costs = [];
        public readonly List<double> Values = [];
        public bool Stopped;
    }
}

/// <summary>
/// What <see cref="FrontDominance.Report"/> decided: stop or go on; when stopping, the cost then, the planned cost, the
/// optimistic projection of the curve to the planned cost (the judged value) and the front's value at the planned cost
/// it lost to, and <see cref="ProjectedFinal"/>.
/// </summary>
public sealed record FrontDecision(bool Stop, double Cost, double PlannedCost, double Projected, double Front)
{
    public static FrontDecision Continue { get; } = new(false, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>
    /// When stopping: the estimate of the value the complete run would have reached at <see cref="PlannedCost"/>
    /// (<see cref="FrontDominance.ProjectFinal"/>: the midpoint of the judged line at the planned cost, without its
    /// margin, and at the cost spent) — the value to observe for a stopped run that has no complete shorter run
    /// (<see cref="StoppedRunObservation"/>). NaN when going on.
    /// </summary>
    public double ProjectedFinal { get; init; } = double.NaN;
}

/// <summary>
/// Settings of <see cref="FrontDominance"/>: <see cref="MinCost"/> — nothing is judged before a curve has spent it;
/// <see cref="Window"/> — the projection fits the points in [c / Window, c]; <see cref="Confidence"/> — standard errors
/// subtracted from the projection; <see cref="MinPoints"/> — points the window needs; <see cref="SmoothingPoints"/> —
/// points averaged per front value; <see cref="NoiseFloor"/> — the least noise assumed, relative to the curve's level.
/// </summary>
public sealed record FrontDominanceOptions(
    double MinCost,
    double Window = 3.0,
    double Confidence = 2.0,
    int MinPoints = 6,
    int SmoothingPoints = 3,
    double NoiseFloor = 0.01)
{
    public void Validate()
    {
        if (!double.IsFinite(MinCost) || MinCost <= 0) throw new ArgumentOutOfRangeException(nameof(MinCost), MinCost, "min_cost must be a positive number");
        if (!double.IsFinite(Window) || Window < 1.5 || Window > 100) throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be between 1.5 and 100");
        if (!double.IsFinite(Confidence) || Confidence < 0 || Confidence > 10) throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence must be between 0 and 10");
        if (MinPoints < 3) throw new ArgumentOutOfRangeException(nameof(MinPoints), MinPoints, "min_points must be at least 3");
        if (SmoothingPoints < 1) throw new ArgumentOutOfRangeException(nameof(SmoothingPoints), SmoothingPoints, "smoothing_points must be at least 1");
        if (!double.IsFinite(NoiseFloor) || NoiseFloor < 0) throw new ArgumentOutOfRangeException(nameof(NoiseFloor), NoiseFloor, "noise_floor must be non-negative");
    }
}
