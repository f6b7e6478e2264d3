namespace Levain.Cli.Tests;

/// <summary>
/// Tests that set process-wide environment variables (LEVAIN_PARAMS) run alone: any test running beside them that
/// starts a child process (the installed tool, a trial) would hand the child those variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
