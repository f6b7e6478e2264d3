using Levain.Tuning.Baselines;
using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Baselines;

public sealed class CenteredRandomSamplerTests
{
    [Fact]
    public void Sample_IsCenteredWithRadiusSpreadAndInsideBounds()
    {
        var space = new SearchSpace([ParameterSpec.Linear("x", 1, scale: 2), ParameterSpec.Log("lr", 1e-3, 1e-4, 1e-2), ParameterSpec.Linear("n", 3, 1, 5, isInteger: true)]);
        var sampler = new CenteredRandomSampler(space, 0.3, seed: 7);
        var samples = Enumerable.Range(0, 4000).Select(_ => sampler.Sample()).ToList();
        var basicX = samples.Select(s => s["x"].Number / 2).ToArray();
        Assert.Equal(0.5, basicX.Average(), 0.02);
        Assert.Equal(0.3, Math.Sqrt(basicX.Select(b => (b - 0.5) * (b - 0.5)).Average()), 0.02);
        Assert.All(samples, s => space.Validate(s));
        Assert.All(samples, s => Assert.Equal(Math.Round(s["n"].Number), s["n"].Number));
    }

    [Fact]
    public void Sample_SameSeed_SameStream()
    {
        var space = new SearchSpace([ParameterSpec.Linear("x", 0), ParameterSpec.Categorical("c", ["a", "b", "c"])]);
        var a = new CenteredRandomSampler(space, 0.3, 5);
        var b = new CenteredRandomSampler(space, 0.3, 5);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(a.Sample(), b.Sample());
        }
    }

    [Fact]
    public void Sample_CategoricalMutation_ChangesWithConfiguredProbability()
    {
        var space = new SearchSpace([ParameterSpec.Categorical("c", ["a", "b", "c"]), ParameterSpec.Boolean("f")]);
        var sampler = new CenteredRandomSampler(space, 0.3, 1, categoricalMutationProbability: 0.25);
        var samples = Enumerable.Range(0, 4000).Select(_ => sampler.Sample()).ToList();
        Assert.Equal(0.25, samples.Count(s => s["c"].Choice != "a") / 4000.0, 0.03);
        Assert.Equal(0.25, samples.Count(s => s["f"].Flag) / 4000.0, 0.03);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CenteredRandomSampler(space, 0, 1));
    }
}
