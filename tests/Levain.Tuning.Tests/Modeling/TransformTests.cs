using CsCheck;
using Levain.Tuning.Modeling;

namespace Levain.Tuning.Tests.Modeling;

public sealed class TransformTests
{
    [Fact]
    public void OutputTransform_IsMonotoneFiniteAndDirectionAware_Property()
    {
        Gen.Double[-1e3, 1e3].Array[2, 60].Sample(outputs =>
        {
            var minimize = new QuantileOutputTransform(outputs, isMaximizing: false);
            var maximize = new QuantileOutputTransform(outputs, isMaximizing: true);
            var sorted = outputs.Distinct().Order().ToArray();
            for (var i = 1; i < sorted.Length; i++)
            {
                Assert.True(maximize.Transform(sorted[i]) > maximize.Transform(sorted[i - 1]));
                Assert.True(minimize.Transform(sorted[i]) < minimize.Transform(sorted[i - 1]));
            }
            foreach (var y in outputs.Append(-1e9).Append(1e9))
            {
                Assert.True(double.IsFinite(maximize.Transform(y)));
                Assert.Equal(-maximize.Transform(y), minimize.Transform(y), 1e-12);
            }
        }, iter: 200);
    }

    [Fact]
    public void OutputTransform_MapsToNormalScoresAndClips()
    {
        var t = new QuantileOutputTransform([10, 20, 30, 40], isMaximizing: true);
        Assert.Equal(-1.1503493803760079, t.Transform(10), 1e-9); // Φ⁻¹(1/8)
        Assert.Equal(0.0, t.Transform(25), 1e-12);
        Assert.Equal(t.Transform(40), t.Transform(1e9));
        Assert.Equal(0.0, new QuantileOutputTransform([5], true).Transform(5));
    }

    [Fact]
    public void CostTransform_MapsLogCostToUnitInterval_Property()
    {
        Gen.Double[1e-3, 1e6].Array[2, 40].Sample(costs =>
        {
            var t = new CostTransform(costs);
            if (t.IsDegenerate)
            {
                return;
            }
            Assert.Equal(-1.0, t.Transform(costs.Min()), 1e-12);
            Assert.Equal(1.0, t.Transform(costs.Max()), 1e-12);
            foreach (var c in costs)
            {
                Assert.InRange(t.Transform(c), -1 - 1e-12, 1 + 1e-12);
                Assert.Equal(c, t.Inverse(t.Transform(c)), 1e-9 * c);
            }
        }, iter: 200);
    }

    [Fact]
    public void CostTransform_ZeroAndEqualCosts_StayFinite()
    {
        var zero = new CostTransform([0, 2, 4]);
        Assert.True(zero.HasNonPositiveCosts);
        Assert.Equal(0.2, zero.Floor, 1e-12);
        Assert.Equal(-1.0, zero.Transform(0), 1e-12);
        var equal = new CostTransform([3, 3, 3]);
        Assert.True(equal.IsDegenerate);
        Assert.Equal(0.0, equal.Transform(3), 1e-12);
        Assert.Equal(Math.Log(2), equal.Transform(6), 1e-12);
        Assert.Equal(6.0, equal.Inverse(equal.Transform(6)), 1e-9);
    }
}
