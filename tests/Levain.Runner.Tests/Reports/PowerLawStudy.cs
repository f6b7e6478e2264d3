using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Tests.Reports;

/// <summary>
/// A finished study with a known law, for the report's tests here and the text report's in Levain.Cli.Tests (which
/// compiles this file too): loss = 1 + 3·n^−0.4 + 0.1·(log₁₀(lr/lr*))² + N(0, 0.005²), lr* = 10⁻²·n^−0.3, cost = n;
/// 50 trials of a log-uniform design.
/// </summary>
internal static class PowerLawStudy
{
    public static readonly StudySpec Spec = new()
    {
        Name = "c",
        CostSource = "flops",
        Parameters = [ParameterSpec.Log("n", 30, 1, 1000), ParameterSpec.Log("lr", 3e-3, 1e-4, 1e-1)],
    };

    /// <summary>The true front: the loss at the best lr for cost n.</summary>
    public static double TrueFront(double cost) => 1 + (3 * Math.Pow(cost, -0.4));

    public static StudyRecord Record => new("c", Spec, DateTimeOffset.UnixEpoch, null);

    public static List<TrialRecord> Trials()
    {
        var rng = new Random(4);
        var trials = new List<TrialRecord>();
        for (var i = 1; i <= 50; i++)
        {
            var n = Math.Pow(10, 3 * rng.NextDouble());
            var lr = Math.Pow(10, -4 + (3 * rng.NextDouble()));
            var offset = Math.Log10(lr / (1e-2 * Math.Pow(n, -0.3)));
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            trials.Add(new TrialRecord
            {
                Study = "c",
                Number = i,
                SuggestionId = $"s{i}",
                State = TrialState.Succeeded,
                Parameters = new Dictionary<string, ParamValue> { ["n"] = n, ["lr"] = lr },
                CreatedAt = DateTimeOffset.UnixEpoch,
                FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
                Output = TrueFront(n) + (0.1 * offset * offset) + (0.005 * gaussian),
                Cost = n,
            });
        }
        return trials;
    }
}
