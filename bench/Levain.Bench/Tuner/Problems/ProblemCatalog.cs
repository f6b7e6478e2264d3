namespace Levain.Bench.Tuner.Problems;

/// <summary>
/// The problems of the tuner benchmark. <see cref="Reported"/> are run by default and make the published table;
/// <see cref="HeldOut"/> are run only when named (or with <c>--problems held-out</c>): the tuner's defaults are chosen
/// on them (with seeds from 1000 on), so the reported figures are not tuned to the reported problems.
/// </summary>
public static class ProblemCatalog
{
    /// <summary>The reported problems, in report order.</summary>
    public static IReadOnlyList<ICostAwareProblem> Reported() =>
        [new MfHartmann6Problem(), new AugmentedBraninProblem(), new HeightWithCostProblem(), new ChinchillaProblem(), new LearningCurveProblem()];

    /// <summary>Problems for choosing defaults: similar kinds (fidelity, noise-free, Chinchilla form, learning curve), different functions and constants.</summary>
    public static IReadOnlyList<ICostAwareProblem> HeldOut() =>
        [new MfHartmann3Problem(), new LevyFidelityProblem(), new ChinchillaEpochProblem(), new ExponentialCurveProblem()];

    /// <summary>
    /// Problems run only when named, neither reported nor used to choose defaults: <c>learning-curve-fixed</c> shows
    /// what early stopping saves when every run trains the same number of epochs (docs/tuner.md, "Early stopping").
    /// </summary>
    public static IReadOnlyList<ICostAwareProblem> Extra() => [new LearningCurveFixedProblem()];

    /// <summary>Reported, then held-out, then extra.</summary>
    public static IReadOnlyList<ICostAwareProblem> All() => [.. Reported(), .. HeldOut(), .. Extra()];
}
