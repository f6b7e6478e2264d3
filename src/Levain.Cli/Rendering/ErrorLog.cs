using System.Globalization;

namespace Levain.Cli.Rendering;

/// <summary>Where an unexpected error's full details go, so the terminal gets one line and never a stack trace.</summary>
internal static class ErrorLog
{
    /// <summary>Writes the exception (type, message, stack, inner exceptions) to a new file; returns its path.</summary>
    public static string Write(string directory, Exception exception)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"levain-error-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        foreach (var dir in new[] { directory, Path.GetTempPath() })
        {
            try
            {
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, name);
                File.WriteAllText(path, $"levain {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n{DateTimeOffset.UtcNow:O}\n\n{exception}\n");
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next place.
            }
        }
        return "(no writable place for the error log)";
    }
}
