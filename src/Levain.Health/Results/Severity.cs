namespace Levain.Health.Results;

/// <summary>
/// How bad a result is. The numeric values are the Nagios/Slurm exit codes (0 ok, 1 warning, 2 critical, 3 unknown).
/// For "worst of" the order is ok &lt; warning &lt; unknown &lt; critical: a node we could not fully check is worse than a
/// node with a known warning (it may hide anything), but a known critical fault is worse still.
/// </summary>
public enum Severity
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}
