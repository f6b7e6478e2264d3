namespace Levain.Runner.Protocol;

/// <summary>How a launched trial program ended.</summary>
public enum LaunchStatus
{
    /// <summary>It exited by itself (any exit code, or killed by a signal it did not get from us).</summary>
    Exited,

    /// <summary>It ran past its timeout and was killed.</summary>
    TimedOut,

    /// <summary>We stopped it (Ctrl-C, a lost lease).</summary>
    Cancelled,

    /// <summary>It could not be started (missing program, sbatch refused the job).</summary>
    FailedToStart,

    /// <summary>It died for reasons outside the trial (node failure, pre-emption, cancelled by an administrator): retry it.</summary>
    Interrupted,
}
