namespace Levain.Tuning.GaussianProcesses;

/// <summary>Where L-BFGS stopped: the point, f there, iterations, objective evaluations, whether it converged.</summary>
internal sealed record LbfgsResult(double[] Point, double Value, int Iterations, int Evaluations, bool Converged);
