using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Levain.Runner.Launchers;

/// <summary>
/// Starts a trial program as the leader of a new session and process group (via util-linux <c>setsid</c>, which calls
/// setsid(2) and execs under the same pid) so that the program and every process it forks can be signalled together
/// with kill(-pgid). Where <c>setsid</c> or <c>/bin/sh</c> is missing, falls back to killing the process tree.
/// <para>
/// Orphan control: the program does not start directly but through a three-line <c>/bin/sh</c> shim that moves the
/// launcher's stdin pipe to a watcher subshell and then execs the program (same pid, stdin from /dev/null). Levain
/// never writes to that pipe; the kernel closes its write end when the Levain process dies, however it dies (SIGKILL,
/// the OOM killer), and the watcher, reading end-of-file, sends SIGTERM to the whole group and SIGKILL
/// <see cref="OrphanGraceSeconds"/> s later. A pipe is used rather than prctl(PR_SET_PDEATHSIG) because the death
/// signal follows the forking <em>thread</em> (a .NET thread-pool thread that may retire while the trial runs), needs
/// native code between fork and exec, and covers one process rather than the trial's whole tree.
/// </para>
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Seconds between the watcher's SIGTERM and SIGKILL once the launching process is gone.</summary>
    public const int OrphanGraceSeconds = 5;

    /// <summary>
    /// The shim: fd 3 = the launcher's stdin pipe, kept only by the watcher (which ignores the group SIGTERM it sends);
    /// then the program replaces the shell with fd 3 closed and stdin from /dev/null.
    /// </summary>
    private static readonly string Shim =
        "exec 3<&0 </dev/null\n" +
        $"( trap '' TERM INT HUP; while read -r _ <&3; do :; done; kill -TERM 0; sleep {OrphanGraceSeconds}; kill -KILL 0 ) &\n" +
        "exec \"$@\" 3<&-\n";

    private static readonly string? SetsidPath = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    public static bool IsSupported => SetsidPath is not null && File.Exists("/bin/sh") && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());

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
            psi.ArgumentList.Add("/bin/sh");
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(Shim);
            psi.ArgumentList.Add("levain-trial");
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
