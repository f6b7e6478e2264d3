using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Tuning.Spaces;

namespace Levain.Bench.Tuner.Peers;

/// <summary>
/// Drives <c>bench/peers/optuna_tpe.py</c> (Optuna's TPE, multivariate) over JSON lines on its stdin/stdout. One
/// process serves many studies, one per (problem, seed). Not thread-safe: one request is in flight at a time.
/// </summary>
public sealed class OptunaTpePeer : IDisposable
{
    public const string DefaultPython = "/usr/bin/python3";
    public const string ScriptFileName = "optuna_tpe.py";

    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private bool _isDisposed;

    private OptunaTpePeer(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(e.Data);
                while (_stderrTail.Count > 20)
                {
                    _stderrTail.Dequeue();
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public string PythonVersion { get; private set; } = "";

    public string OptunaVersion { get; private set; } = "";

    /// <summary>
    /// Starts the peer and checks that Optuna imports. A missing interpreter, script or Optuna is an expected
    /// outcome: the status says why and <paramref name="peer"/> is null.
    /// </summary>
    public static PeerStatus TryStart(string pythonPath, string? scriptPath, out OptunaTpePeer? peer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pythonPath);
        peer = null;
        if (scriptPath is null || !File.Exists(scriptPath))
        {
            return new PeerStatus(false, $"unavailable: peer script bench/peers/{ScriptFileName} not found");
        }
        if (!File.Exists(pythonPath))
        {
            return new PeerStatus(false, $"unavailable: {pythonPath} does not exist (install python3-optuna)");
        }
        var start = new ProcessStartInfo(pythonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(scriptPath);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new PeerStatus(false, $"unavailable: cannot start {pythonPath}: {ex.Message}");
        }
        var candidate = new OptunaTpePeer(process);
        try
        {
            var hello = candidate.Request(new JsonObject { ["op"] = "hello" }, throwOnError: false);
            if (hello["ok"]?.GetValue<bool>() != true)
            {
                var reason = hello["error"]?.GetValue<string>() ?? "the peer refused to start";
                candidate.Dispose();
                return new PeerStatus(false, $"unavailable: {reason}", hello["python"]?.GetValue<string>());
            }
            candidate.PythonVersion = hello["python"]?.GetValue<string>() ?? "?";
            candidate.OptunaVersion = hello["optuna"]?.GetValue<string>() ?? "?";
        }
        catch (OptunaPeerException ex)
        {
            candidate.Dispose();
            return new PeerStatus(false, $"unavailable: {ex.Message}");
        }
        peer = candidate;
        return new PeerStatus(true, $"Optuna {candidate.OptunaVersion} (TPESampler, multivariate) on Python {candidate.PythonVersion} ({pythonPath})",
            candidate.PythonVersion, candidate.OptunaVersion);
    }

    /// <summary>Creates a minimised in-memory study over the parameters' box, sampled by TPE seeded with <paramref name="seed"/>.</summary>
    public void CreateStudy(string studyId, int seed, IReadOnlyList<ParameterSpec> parameters, int startupTrials = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyId);
        Request(new JsonObject
        {
            ["op"] = "create",
            ["study"] = studyId,
            ["seed"] = seed,
            ["n_startup_trials"] = startupTrials,
            ["params"] = OptunaSearchBox.From(parameters),
        });
    }

    /// <summary>Asks for the next point: the trial number to tell later and the parameters in parameter units.</summary>
    public (int Trial, IReadOnlyDictionary<string, ParamValue> PointInParam) Ask(string studyId)
    {
        var answer = Request(new JsonObject { ["op"] = "ask", ["study"] = studyId });
        var trial = answer["trial"]?.GetValue<int>() ?? throw new OptunaPeerException("ask reply without 'trial'");
        var parameters = answer["params"] as JsonObject ?? throw new OptunaPeerException("ask reply without 'params'");
        var point = new Dictionary<string, ParamValue>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (value is not JsonValue number || !number.TryGetValue<double>(out var valueInParam))
            {
                throw new OptunaPeerException($"ask reply: parameter '{name}' is not a number");
            }
            point[name] = ParamValue.FromNumber(valueInParam);
        }
        return (trial, point);
    }

    /// <summary>Reports the observed value of a trial; a non-finite value is told as a failed trial.</summary>
    public void Tell(string studyId, int trial, double value)
    {
        Request(new JsonObject
        {
            ["op"] = "tell",
            ["study"] = studyId,
            ["trial"] = trial,
            ["value"] = double.IsFinite(value) ? value : null,
        });
    }

    public void DeleteStudy(string studyId) => Request(new JsonObject { ["op"] = "delete", ["study"] = studyId });

    public void Dispose()
    {
        if (_isDisposed)
        {
            return;
        }
        _isDisposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"op\":\"close\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // The peer is already gone; nothing to close.
        }
        _process.Dispose();
    }

    private JsonObject Request(JsonObject request, bool throwOnError = true)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        var op = request["op"]?.GetValue<string>() ?? "?";
        string? line;
        try
        {
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(ReplyTimeout))
            {
                throw new OptunaPeerException($"'{op}': no reply within {ReplyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s{StderrTail()}");
            }
            line = read.Result;
        }
        catch (IOException ex)
        {
            throw new OptunaPeerException($"'{op}': the peer closed its pipes{StderrTail()}", ex);
        }
        if (line is null)
        {
            _process.WaitForExit(2000);
            throw new OptunaPeerException($"'{op}': the peer exited{StderrTail()}");
        }
        JsonObject reply;
        try
        {
            reply = JsonNode.Parse(line) as JsonObject ?? throw new OptunaPeerException($"'{op}': reply is not a JSON object: {line}");
        }
        catch (JsonException ex)
        {
            throw new OptunaPeerException($"'{op}': reply is not JSON: {line}", ex);
        }
        if (throwOnError && reply["ok"]?.GetValue<bool>() != true)
        {
            throw new OptunaPeerException($"'{op}': {reply["error"]?.GetValue<string>() ?? line}");
        }
        return reply;
    }

    private string StderrTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.Count == 0 ? "" : " (stderr: " + string.Join(" | ", _stderrTail) + ")";
        }
    }
}
