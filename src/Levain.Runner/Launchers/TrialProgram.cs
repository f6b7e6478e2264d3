namespace Levain.Runner.Launchers;

/// <summary>Finds a trial program the way execvp does (a path with '/' against the working directory, else $PATH).</summary>
public static class TrialProgram
{
    /// <summary>Null when the program can be run; else a one-line reason naming it.</summary>
    public static string? Check(string program, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (program.Length == 0) return "the command's program (its first element) is empty";
        if (program.Contains('{', StringComparison.Ordinal)) return null; // Substituted per trial: checked when it runs.
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(workingDirectory, program));
            if (!File.Exists(full)) return $"trial program '{program}' not found (looked for {full})";
            return IsExecutable(full) ? null : $"trial program {full} is not executable (chmod +x it, or name its interpreter first)";
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && IsExecutable(candidate)) return null;
        }
        return $"trial program '{program}' is not on PATH";
    }

    private static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
