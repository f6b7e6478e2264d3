namespace Levain.Cli.Contract;

/// <summary>
/// The exit codes every <c>levain</c> command shares (docs/cli.md). 0 and 1 are results (success; the run, store,
/// server or backend failed); <c>levain health</c> adds its verdicts 2 (critical) and 3 (unknown). Parse errors and
/// bad input are 64 in every command, a code no result uses; 70 is Levain's own failure, 130 an interrupt.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    /// <summary>Parse errors (unknown option, missing argument, bad value) and bad input (a file, a field, a value): sysexits' EX_USAGE.</summary>
    public const int BadInput = 64;
    /// <summary>Levain itself failed (an unexpected exception; details in a log file): EX_SOFTWARE.</summary>
    public const int Internal = 70;
    /// <summary>Stopped by Ctrl-C before a result (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>The line every command but <c>health</c> shows in its help.</summary>
    public const string Help = "Exit codes: 0 success, 1 failure (the run, the store, the server or the backend failed), 64 bad input or usage, 70 internal error.";
}
