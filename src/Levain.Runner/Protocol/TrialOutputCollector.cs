namespace Levain.Runner.Protocol;

/// <summary>
/// Receives a trial's output lines: appends them to its log file (bounded: see <see cref="OutputLimits"/>), keeps the last stderr lines, remembers the last
/// <c>levain-result</c> object and forwards <c>levain-progress</c> objects. Thread-safe (stdout and stderr arrive
/// on different threads).
/// </summary>
public sealed class TrialOutputCollector : IDisposable
{
    private const int TailLines = 20;
    private readonly object _gate = new();
    private readonly BoundedLog? _log;
    private readonly Queue<string> _stderrTail = new();
    private readonly Action<string>? _onProgress;

    /// <param name="logPath">File the lines are appended to; null when something else (a Slurm job) writes the log.</param>
    /// <param name="onProgress">Receives each progress object.</param>
    /// <param name="limits">The log cap (default <see cref="OutputLimits.Default"/>).</param>
    public TrialOutputCollector(string? logPath, Action<string>? onProgress, OutputLimits? limits = null)
    {
        var bounds = limits ?? OutputLimits.Default;
        bounds.Validate();
        if (logPath is not null) _log = new BoundedLog(logPath, bounds.LogCapBytes);
        _onProgress = onProgress;
    }

    /// <summary>The last <c>levain-result</c> object printed on stdout, if any.</summary>
    public string? StdoutResult { get; private set; }

    public IReadOnlyList<string> StderrTail
    {
        get
        {
            lock (_gate) return [.. _stderrTail];
        }
    }

    public void Note(string message)
    {
        lock (_gate) _log?.WriteLine($"[levain] {message}");
    }

    public void Stdout(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate) _log?.WriteLine(line);
        Interpret(line);
    }

    /// <summary>Interprets a stdout line without logging it (the Slurm launcher reads lines back from the log).</summary>
    public void Interpret(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (ProtocolLine.TryResult(line) is { } result)
        {
            StdoutResult = result;
        }
        else if (ProtocolLine.TryProgress(line) is { } progress)
        {
            _onProgress?.Invoke(progress);
        }
    }

    public void Stderr(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            _log?.WriteLine(line);
            RememberStderr(line);
        }
    }

    /// <summary>Keeps a line in the stderr tail without logging it.</summary>
    public void RememberStderr(string line)
    {
        lock (_gate)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > TailLines) _stderrTail.Dequeue();
        }
    }

    /// <summary>The result the trial reported: the LEVAIN_RESULT file if it holds a JSON object, else the stdout line.</summary>
    public string? ReadResult(string resultPath)
    {
        ArgumentNullException.ThrowIfNull(resultPath);
        try
        {
            if (File.Exists(resultPath))
            {
                var text = ProtocolLine.Normalize(File.ReadAllText(resultPath).Trim());
                if (ProtocolLine.IsObject(text)) return text;
                Note($"result file {resultPath} does not hold a JSON object; ignored");
            }
        }
        catch (IOException e)
        {
            Note($"cannot read result file {resultPath}: {e.Message}");
        }
        return StdoutResult;
    }

    public void Dispose()
    {
        lock (_gate) _log?.Dispose();
    }
}
