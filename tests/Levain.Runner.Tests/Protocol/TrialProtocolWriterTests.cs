using System.Text.Json.Nodes;
using Levain.Runner.Protocol;
using Levain.Runner.Tests.Support;

namespace Levain.Runner.Tests.Protocol;

public sealed class TrialProtocolWriterTests
{
    [Fact]
    public void WriteResult_WritesTheFileAndAResultLineTheRunnerReadsBack()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "result.json");
        using var stdout = new StringWriter();
        var writer = new TrialProtocolWriter(stdout, path);

        writer.WriteProgress(new JsonObject { ["step"] = 10, ["loss"] = 2.5 });
        var line = writer.WriteResult(new JsonObject { ["nll_correct"] = 0.75, ["flops"] = 1e12 });

        Assert.Equal(line + "\n", File.ReadAllText(path));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("""{"step":10,"loss":2.5}""", ProtocolLine.TryProgress(lines[0].TrimEnd('\r')));
        Assert.Equal(line, ProtocolLine.TryResult(lines[1].TrimEnd('\r')));
        Assert.Equal(0.75, JsonNode.Parse(line)!["nll_correct"]!.GetValue<double>());
    }

    [Fact]
    public void WriteResult_BareWithoutAResultFile_IsOneJsonLineAndNoFile()
    {
        using var stdout = new StringWriter();
        var line = new TrialProtocolWriter(stdout, null).WriteResult(new JsonObject { ["acc"] = 0.5 }, isBare: true);
        Assert.Equal("""{"acc":0.5}""", line);
        Assert.Equal(line + Environment.NewLine, stdout.ToString());
    }
}
