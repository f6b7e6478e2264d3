using Levain.Runner.Definition;

namespace Levain.Runner.Launchers;

/// <summary>Creates the launcher a study definition asks for.</summary>
public static class LauncherFactory
{
    public static ITrialLauncher Create(LauncherDefinition launcher)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        return launcher.Kind == LauncherKind.Slurm
            ? new SlurmLauncher(launcher.Slurm ?? new SlurmOptions(null, null, [], SlurmOptions.DefaultPollInterval))
            : new LocalLauncher();
    }
}
