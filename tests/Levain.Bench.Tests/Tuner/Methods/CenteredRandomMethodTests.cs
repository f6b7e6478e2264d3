using Levain.Bench.Tuner.Methods;
using Levain.Bench.Tuner.Problems;

namespace Levain.Bench.Tests.Tuner.Methods;

public sealed class CenteredRandomMethodTests
{
    [Fact]
    public void Ask_HeightProblem_IntegersInsideTheBoxAroundTheCenter()
    {
        var problem = new HeightWithCostProblem();
        using var session = new CenteredRandomMethod().Start(problem, seed: 1);

        var points = Enumerable.Range(0, 400).Select(_ => session.Ask(double.PositiveInfinity, 0)!).ToArray();

        foreach (var point in points)
        {
            problem.Evaluate(point, new Random(0)); // throws when outside the box or not an integer
        }
        // h is linear with center 0 and scale 100: draws are N(0, 30) (truncated to the box).
        var h = points.Select(p => p["h"].Number).ToArray();
        Assert.InRange(h.Average(), -6.0, 6.0);
        Assert.InRange(Math.Sqrt(h.Select(v => v * v).Average()), 25.0, 35.0);
    }

    [Fact]
    public void Start_SameSeed_SameSequence()
    {
        var problem = new MfHartmann6Problem();
        using var first = new CenteredRandomMethod().Start(problem, seed: 5);
        using var second = new CenteredRandomMethod().Start(problem, seed: 5);
        using var other = new CenteredRandomMethod().Start(problem, seed: 6);

        var a = first.Ask(double.PositiveInfinity, 0)!;
        Assert.Equal(a, second.Ask(double.PositiveInfinity, 0));
        Assert.NotEqual(a, other.Ask(double.PositiveInfinity, 0));
    }
}
