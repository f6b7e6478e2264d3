using Levain.Tuning.Modeling;

namespace Levain.Tuning;

/// <summary>The answer under answer refinement (<see cref="CarbsOptions.AnswerRefinementShare"/>).</summary>
public sealed partial class CarbsTuner
{
    /// <summary>
    /// When answer refinement is on and the answer of the global estimate is a dear point (<see cref="DearOutputModel"/>),
    /// the dear point the dear observations' own model predicts best, with that model's prediction and 90 % interval:
    /// refinement steps differ from the incumbent by less than the global model can tell apart under the noise of the
    /// cheap runs. Otherwise <paramref name="global"/> unchanged. The dear model keeps the θ the last suggestion fitted
    /// (read, never written here), so asking for the answer is cheap and leaves the tuner's state alone.
    /// </summary>
    private FrontEstimate? RefinedAnswer(FrontEstimate? global, List<Observation> successes)
    {
        if (global is null || !(Options.AnswerRefinementShare > 0))
        {
            return global;
        }
        var center = Space.CenterInBasic;
        double[] ToModelInput(double[] x) => BayesianProposer.CenterContinuous(Space, center, x);
        if (DearOutputModel.TryFit(Space, Options, successes, ToModelInput, _models) is not { } dear || global.Cost < dear.CheapestCost
            || dear.Best(ToModelInput) is not { } best)
        {
            return global;
        }
        var (m, v) = dear.Model.Predict(ToModelInput(best.Group.XInBasic));
        var (predicted, stdDev) = dear.ToOutput(m, v);
        var half = EstimateZ * stdDev;
        return new FrontEstimate(best.Group.Parameters, best.Group.Cost, best.Group.Output, best.Group.Count, predicted, predicted - half, predicted + half);
    }
}
