using Levain.Cli.Contract;

namespace Levain.Cli.Tests;

/// <summary>
/// Runs the CLI in-process with its output and errors captured through <see cref="CliIo"/> (not a terminal), the way
/// System.CommandLine passes writers to commands. Runs one at a time: a few commands still set process-wide state
/// (the current directory of a study, environment variables in tests).
/// </summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        await Gate.WaitAsync();
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await LevainApp.RunAsync(args, new CliIo(stdout, stderr, IsTerminal: false));
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Gate.Release();
        }
    }
}
