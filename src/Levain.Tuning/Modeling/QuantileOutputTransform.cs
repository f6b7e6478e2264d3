using Levain.Tuning.GaussianProcesses;

namespace Levain.Tuning.Modeling;

/// <summary>
/// <see cref="OutputTransformKind.Quantile"/> (CARBS's choice; <see cref="OutputTransformKind.Auto"/> uses it while replicates show no material noise): a raw output y goes through the empirical
/// CDF of the successful outputs (piecewise linear between order statistics at plotting positions (i + ½)/n, tied values
/// sharing their mean position), clipped to [½/n, 1 − ½/n] so the extremes stay finite (±3.29 at n = 1000), then Φ⁻¹,
/// times the direction sign (+1 maximise, −1 minimise) so larger is always better inside the model.
/// </summary>
internal sealed class QuantileOutputTransform : OutputTransform
{
    private readonly double[] _values;
    private readonly double[] _positions;
    private readonly double _sign;
    private readonly double _lowClip;

    public QuantileOutputTransform(IReadOnlyList<double> successfulOutputs, bool isMaximizing)
    {
        ArgumentNullException.ThrowIfNull(successfulOutputs);
        _sign = isMaximizing ? 1.0 : -1.0;
        var sorted = successfulOutputs.Where(double.IsFinite).Order().ToArray();
        var n = sorted.Length;
        _lowClip = n > 0 ? 0.5 / n : 0.5;
        var values = new List<double>();
        var positions = new List<double>();
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i])
            {
                j++;
            }
            values.Add(sorted[i]);
            positions.Add(((0.5 * (i + j)) + 0.5) / n);
            i = j + 1;
        }
        _values = [.. values];
        _positions = [.. positions];
    }

    public override double Transform(double output)
    {
        if (_values.Length <= 1 || !double.IsFinite(output))
        {
            return 0.0;
        }
        double position;
        if (output <= _values[0])
        {
            position = _positions[0];
        }
        else if (output >= _values[^1])
        {
            position = _positions[^1];
        }
        else
        {
            var hi = Array.BinarySearch(_values, output);
            if (hi >= 0)
            {
                position = _positions[hi];
            }
            else
            {
                hi = ~hi;
                var lo = hi - 1;
                var t = (output - _values[lo]) / (_values[hi] - _values[lo]);
                position = _positions[lo] + (t * (_positions[hi] - _positions[lo]));
            }
        }
        position = Math.Clamp(position, _lowClip, 1.0 - _lowClip);
        return _sign * NormalDistribution.InverseCdf(position);
    }
}
