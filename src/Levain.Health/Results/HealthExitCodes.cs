namespace Levain.Health.Results;

/// <summary>
/// The process exit codes of <c>levain health</c>. 0–3 are verdicts about the node or fleet (Nagios/Slurm order);
/// everything else means "no verdict": bad input or usage (64, as sysexits' EX_USAGE) and an internal failure (70,
/// EX_SOFTWARE). A wrapper that drains on 2 must never see 2 for a typo, so bad input is none of 0–3.
/// </summary>
public static class HealthExitCodes
{
    public const int Ok = 0;
    public const int Warning = 1;
    public const int Critical = 2;
    public const int Unknown = 3;
    /// <summary>Bad input or usage: a profile, hosts file, baseline, bundle or option that cannot be used. No check ran to a verdict.</summary>
    public const int BadInput = 64;
    /// <summary>Levain itself failed (an I/O error writing an output, a bug). No verdict.</summary>
    public const int InternalError = 70;

    /// <summary>The help text every health command shows.</summary>
    public const string Help =
        "Exit codes: 0 ok, 1 warning, 2 critical, 3 unknown (a check could not run or a host could not be reached), " +
        "64 bad input or usage (never 0-3), 70 internal error.";
}
