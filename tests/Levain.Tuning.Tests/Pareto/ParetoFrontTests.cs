using Levain.Tuning.Pareto;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Pareto;

public sealed class ParetoFrontTests
{
    [Fact]
    public void Area_IsSumOfCostStepsTimesPreviousOutput()
    {
        var empty = new Dictionary<string, ParamValue>();
        var front = new ParetoFront([new ParetoPoint(empty, 4, 0.2, 1), new ParetoPoint(empty, 1, 0.9, 2), new ParetoPoint(empty, 2, 0.5, 1)]);
        Assert.Equal([1.0, 2.0, 4.0], front.Points.Select(p => p.Cost));
        Assert.Equal(((2 - 1) * 0.9) + ((4 - 2) * 0.5), front.Area, 1e-12);
    }

    [Fact]
    public void GetParetoFront_GroupsIdenticalInputsByMean()
    {
        var tuner = new CarbsTuner(TunerFixtures.QuadraticSpace(), new CarbsOptions { MinParetoCostFraction = 0 });
        Dictionary<string, ParamValue> a = new() { ["x"] = 0.1, ["y"] = 0.0 }, b = new() { ["x"] = 0.2, ["y"] = 0.0 };
        tuner.Observe(new Observation(a, 1.0, 2.0));
        tuner.Observe(new Observation(a, 3.0, 4.0));
        tuner.Observe(new Observation(b, 1.5, 5.0));
        tuner.Observe(new Observation(b, 9.0, 1.0, IsFailure: true));
        var front = tuner.GetParetoFront();
        var first = front.Points[0];
        Assert.Equal(2, first.Count);
        Assert.Equal(3.0, first.Cost, 1e-12);
        Assert.Equal(2.0, first.Output, 1e-12);
        Assert.Equal(2, front.Points.Count);
        Assert.Equal(1.5, front.Points[1].Output);
    }
}
