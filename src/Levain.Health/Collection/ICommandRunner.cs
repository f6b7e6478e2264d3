namespace Levain.Health.Collection;

/// <summary>Runs one shell command line with a timeout (locally; tests substitute fakes).</summary>
public interface ICommandRunner
{
    Task<CommandOutcome> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken);
}
