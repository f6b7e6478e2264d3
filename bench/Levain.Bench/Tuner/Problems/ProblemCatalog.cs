namespace Levain.Bench.Tuner.Problems;

/// <summary>The problems of the tuner benchmark, in report order.</summary>
public static class ProblemCatalog
{
    public static IReadOnlyList<ICostAwareProblem> All() =>
        [new MfHartmann6Problem(), new AugmentedBraninProblem(), new HeightWithCostProblem(), new ChinchillaProblem(), new LearningCurveProblem()];
}
