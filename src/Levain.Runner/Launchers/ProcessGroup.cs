using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Levain.Runner.Launchers;

/// <summary>
/// Starts a program as the leader of a new session and process group (via util-linux <c>setsid</c>, which calls
/// setsid(2) and execs the program under the same pid) so that the program and every process it forks can be
/// signalled together with kill(-pgid). Where <c>setsid</c> is missing, falls back to killing the process tree.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public static bool IsSupported => SetsidPath is not null && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());

    public static ProcessStartInfo StartInfo(IReadOnlyList<string> argv, string workingDirectory)
    {
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        if (IsSupported)
        {
            psi.FileName = SetsidPath!;
            psi.ArgumentList.Add("--wait");
            psi.ArgumentList.Add("--");
            foreach (var arg in argv) psi.ArgumentList.Add(arg);
        }
        else
        {
            psi.FileName = argv[0];
            foreach (var arg in argv.Skip(1)) psi.ArgumentList.Add(arg);
        }
        return psi;
    }

    /// <summary>SIGTERM to the group, then SIGKILL after <paramref name="grace"/> if the leader is still alive.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        Signal(process, SigTerm);
        using var graceCts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(graceCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Still running after the grace period.
        }
        Kill(process);
    }

    /// <summary>SIGKILL to every process of the group (and the tree, as a fallback). Safe after exit.</summary>
    public static void Kill(Process process)
    {
        Signal(process, SigKill);
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private static void Signal(Process process, int signal)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        if (IsSupported && pid > 1)
        {
            _ = kill(-pid, signal); // ESRCH once the whole group is gone: nothing to do.
        }
        else if (signal == SigTerm && !process.HasExited)
        {
            _ = kill(pid, signal);
        }
    }

#pragma warning disable SYSLIB1054 // A plain int signature needs no marshalling; DllImport avoids AllowUnsafeBlocks.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
