using System.Text.Json;
using System.Text.Json.Nodes;

namespace Levain.Runner.Protocol;

/// <summary>
/// The trial program's side of the trial protocol, for programs written with Levain (<c>levain train</c>,
/// <c>levain finetune</c>): parameters arrive as JSON in <see cref="ParametersVariable"/>; progress goes out as
/// <c>levain-progress {...}</c> lines and the result as one <c>levain-result {...}</c> line on standard output and as
/// the same JSON in the file <see cref="ResultVariable"/> names (what the runner reads first). Every line is flushed
/// at once, so a runner reading the pipe sees it while the trial runs.
/// </summary>
public sealed class TrialProtocolWriter
{
    /// <summary>The environment variable that carries a trial's parameters as a JSON object.</summary>
    public const string ParametersVariable = "LEVAIN_PARAMS";

    /// <summary>The environment variable that names the file a trial writes its result JSON to.</summary>
    public const string ResultVariable = "LEVAIN_RESULT";

    private static readonly JsonSerializerOptions LineJson = new() { WriteIndented = false };

    private readonly TextWriter _output;

    /// <param name="output">Standard output of the trial program (where the protocol lines go).</param>
    /// <param name="resultPath">Where the result JSON is written as well; null: nowhere.</param>
    public TrialProtocolWriter(TextWriter output, string? resultPath)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        ResultPath = resultPath;
    }

    /// <summary>The result file named by <see cref="ResultVariable"/>, or null when this process is not a trial.</summary>
    public string? ResultPath { get; }

    /// <summary>A writer to <paramref name="output"/> and the result file the environment names (if any).</summary>
    public static TrialProtocolWriter FromEnvironment(TextWriter output) =>
        new(output, Environment.GetEnvironmentVariable(ResultVariable) is { Length: > 0 } path ? path : null);

    /// <summary>The parameters JSON the runner passed in, or null when this process is not a trial.</summary>
    public static string? ParametersFromEnvironment() =>
        Environment.GetEnvironmentVariable(ParametersVariable) is { Length: > 0 } json ? json : null;

    /// <summary>Writes <c>levain-progress {...}</c> to <paramref name="writer"/> (standard output, or standard error when stdout carries only JSON).</summary>
    public static void WriteProgress(TextWriter writer, JsonObject progress)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(progress);
        writer.WriteLine(ProtocolLine.ProgressPrefix + progress.ToJsonString(LineJson));
        writer.Flush();
    }

    /// <summary>Writes <c>levain-progress {...}</c> to standard output.</summary>
    public void WriteProgress(JsonObject progress) => WriteProgress(_output, progress);

    /// <summary>
    /// Writes the result: the JSON (one line) to <see cref="ResultPath"/> when set, then <c>levain-result {...}</c> on
    /// standard output, or the bare JSON line with <paramref name="isBare"/> (<c>--json</c>: stdout is only JSON).
    /// Returns the JSON line.
    /// </summary>
    public string WriteResult(JsonObject result, bool isBare = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = result.ToJsonString(LineJson);
        if (ResultPath is not null)
        {
            File.WriteAllText(ResultPath, line + "\n");
        }
        _output.WriteLine(isBare ? line : ProtocolLine.ResultPrefix + line);
        _output.Flush();
        return line;
    }
}
