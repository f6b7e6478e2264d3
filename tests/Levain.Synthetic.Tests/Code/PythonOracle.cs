using System.Diagnostics;
using System.Text;

namespace Levain.Synthetic.Tests.Code;

/// <summary>Runs many small programs in one <c>/usr/bin/python3</c> process and returns each one's stdout.</summary>
internal static class PythonOracle
{
    public const string PythonPath = "/usr/bin/python3";

    private const string Separator = "<<<levain-program-end>>>";

    /// <summary>Skips the test when Python is missing, except under CI=true, where it fails.</summary>
    public static void RequirePython()
    {
        if (File.Exists(PythonPath))
        {
            return;
        }

        Requirement.Missing($"{PythonPath} not found", "ci/setup/packages.txt installs python3");
    }

    public static IReadOnlyList<string> RunAll(IReadOnlyList<string> programs)
    {
        // Each program runs with exec() in a fresh namespace; its stdout is captured separately.
        var script = new StringBuilder();
        script.AppendLine("import contextlib, io, sys");
        script.AppendLine("programs = [");
        foreach (var program in programs)
        {
            script.Append("    ").Append(PythonString(program)).AppendLine(",");
        }

        script.AppendLine("]");
        script.AppendLine("for p in programs:");
        script.AppendLine("    out = io.StringIO()");
        script.AppendLine("    with contextlib.redirect_stdout(out):");
        script.AppendLine("        exec(compile(p, '<generated>', 'exec'), {})");
        script.AppendLine($"    sys.stdout.write(out.getvalue() + {PythonString(Separator)} + '\\n')");
        var path = Path.Combine(Path.GetTempPath(), $"levain-synthetic-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, script.ToString());
        try
        {
            using var process = Process.Start(new ProcessStartInfo(PythonPath, [path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"python3 failed: {stderr.Result}");
            var parts = stdout.Result.Split(Separator + "\n");
            return parts.Take(programs.Count).ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string PythonString(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
