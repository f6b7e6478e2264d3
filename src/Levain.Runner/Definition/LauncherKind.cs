namespace Levain.Runner.Definition;

/// <summary>Where trials run.</summary>
public enum LauncherKind
{
    /// <summary>Child processes of the tuning process on this machine.</summary>
    Local,

    /// <summary>One Slurm batch job per trial.</summary>
    Slurm,
}
