using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests;

/// <summary>Small seeded problems and helpers shared by the tuner tests.</summary>
internal static class TunerFixtures
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SearchSpace QuadraticSpace() => new(
    [
        ParameterSpec.Linear("x", 0, -2, 2),
        ParameterSpec.Linear("y", 0, -2, 2),
    ]);

    /// <summary>f = (x − 0.6)² + (y + 0.5)², cost = 1 + (x + 2): minimum 0 at (0.6, −0.5), off the search center.</summary>
    public static (double Output, double Cost) Quadratic(IReadOnlyDictionary<string, ParamValue> p)
    {
        double x = p["x"].Number, y = p["y"].Number;
        return (((x - 0.6) * (x - 0.6)) + ((y + 0.5) * (y + 0.5)), 1 + (x + 2));
    }

    public static SearchSpace MixedSpace() => new(
    [
        ParameterSpec.Log("lr", 1e-3, 1e-5, 1e-1),
        ParameterSpec.Linear("layers", 4, 1, 12, isInteger: true),
        ParameterSpec.Logit("dropout", 0.1, 0.01, 0.9),
        ParameterSpec.Categorical("optimizer", ["adamw", "sgd", "lion"]),
        ParameterSpec.Boolean("bias"),
        ParameterSpec.Simplex("mix", ["web", "code"]),
    ]);

    /// <summary>A synthetic loss on the mixed space, cost growing with layers.</summary>
    public static (double Output, double Cost) Mixed(IReadOnlyDictionary<string, ParamValue> p)
    {
        var lr = Math.Log10(p["lr"].Number);
        var loss = ((lr + 2.5) * (lr + 2.5)) + (p["optimizer"].Choice == "lion" ? 0 : 0.3) + (p["bias"].Flag ? 0.1 : 0)
            + (Math.Abs(p["mix"].Weights[1] - 0.7) * 0.5) + (2.0 / p["layers"].Number) + p["dropout"].Number;
        return (loss, p["layers"].Number * 10);
    }

    /// <summary>Runs suggest/observe for <paramref name="steps"/> steps.</summary>
    public static void Drive(CarbsTuner tuner, Func<IReadOnlyDictionary<string, ParamValue>, (double Output, double Cost)> problem, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            var s = tuner.Suggest()[0];
            var (output, cost) = problem(s.Parameters);
            tuner.Observe(new Observation(s.Parameters, output, cost, SuggestionId: s.Id));
        }
    }

    public static void AssertSameSuggestion(Suggestion expected, Suggestion actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Phase, actual.Phase);
        Assert.Equal(expected.Parameters.OrderBy(kv => kv.Key), actual.Parameters.OrderBy(kv => kv.Key));
        Assert.Equal(expected.Terms, actual.Terms);
    }
}
