namespace Levain.Runner.Definition;

/// <summary>The launcher a study uses; <see cref="Slurm"/> is set when <see cref="Kind"/> is Slurm.</summary>
public sealed record LauncherDefinition(LauncherKind Kind, SlurmOptions? Slurm = null)
{
    public static LauncherDefinition Local { get; } = new(LauncherKind.Local);
}
