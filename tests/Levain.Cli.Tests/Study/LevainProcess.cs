using System.Diagnostics;
using System.Text;

namespace Levain.Cli.Tests.Study;

/// <summary>The built CLI (src/Levain.Cli/bin/Release/net10.0/levain.dll) run as a real child process with dotnet.</summary>
internal sealed class LevainProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private LevainProcess(Process process)
    {
        _process = process;
    }

    public static string DllPath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Levain.slnx"))) dir = dir.Parent;
            Assert.NotNull(dir);
            var dll = Path.Combine(dir.FullName, "src", "Levain.Cli", "bin", "Release", "net10.0", "levain.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing; build the solution in Release first (./test.sh does)");
            return dll;
        }
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout) return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public static LevainProcess Start(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var wrapper = new LevainProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (wrapper._stdout) wrapper._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (wrapper._stderr) wrapper._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits for exit; fails the test (after killing the process) if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"levain did not finish within {timeout}. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flush the output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the levain process only: no handler runs, its trial programs are orphaned.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
