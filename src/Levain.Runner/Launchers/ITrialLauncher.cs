using Levain.Runner.Protocol;

namespace Levain.Runner.Launchers;

/// <summary>
/// Runs one trial program to completion and reports what happened as a value. Cancelling the token stops the
/// program (its whole process tree, or its batch job) and yields <see cref="LaunchStatus.Cancelled"/>.
/// </summary>
public interface ITrialLauncher
{
    Task<LaunchResult> RunAsync(TrialLaunch launch, Action<string>? onProgress, CancellationToken cancellationToken);
}
