using System.Text.Json;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.TestSupport;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Cli.Tests.Contract;

/// <summary>--json output of real commands parses and uses snake_case keys; bad output locations are one-line bad input.</summary>
public sealed class JsonContractTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("levain-json-");

    private string Storage => "sqlite:" + _dir["s.db"];

    public async ValueTask InitializeAsync()
    {
        var spec = new StudySpec { Name = "j", CostSource = "steps", Parameters = [ParameterSpec.Log("lr", 1e-3, 1e-6, 1), ParameterSpec.Log("steps", 100, 10, 1e6)] };
        await using var store = StudyStorage.Open(Storage, _dir.Path);
        await store.EnsureStudyAsync(spec);
        foreach (var steps in new[] { 100.0, 1000, 10000 })
        {
            var lease = await store.ClaimTrialAsync("j", new LeaseOptions("t", TimeSpan.FromHours(1)), _ =>
                new TrialProposal(Guid.NewGuid().ToString("N"), new Dictionary<string, ParamValue> { ["lr"] = 0.1 / Math.Sqrt(steps), ["steps"] = steps }, SuggestionPhase.Bayesian, null));
            await store.FinishTrialAsync(lease!, new TrialOutcome(TrialState.Succeeded, 10 / Math.Log(steps), steps, 1, null, null));
        }
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    public static TheoryData<string> JsonCommands() => new()
    {
        "version --json",
        "study list STORAGE --json",
        "study show STORAGE --json",
        "study export STORAGE --format json",
        "study plot STORAGE --json --out DIR/plots",
        "eval index --training-corpus 3 --json --out DIR/index.bin",
        "health baseline learn DIR/dmesg.txt --json --out DIR/baseline.json",
    };

    [Theory]
    [MemberData(nameof(JsonCommands))]
    public async Task Json_ParsesAndIsSnakeCase(string line)
    {
        File.WriteAllText(_dir["dmesg.txt"], "[    1.000000] Linux version 6.1.0\n[    2.000000] nvidia: loading out-of-tree module\n");
        var args = line.Split(' ').Select(a => a.Replace("STORAGE", Storage, StringComparison.Ordinal).Replace("DIR", _dir.Path, StringComparison.Ordinal)).ToArray();
        var (code, stdout, stderr) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        CliContractTests.AssertSnakeCase(doc.RootElement);
    }

    [Fact]
    public async Task StudyExport_OutInAMissingFolder_OneLineBadInput()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("study", "export", Storage, "--out", _dir["missing/dir/x.csv"]);
        Assert.Equal(64, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("levain study export: --out ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StudyPlot_OutIsAnExistingFile_OneLineBadInputAndTheFileIsKept()
    {
        var file = _dir.File("existing.png", "not mine");
        var (code, _, stderr) = await CliRunner.RunAsync("study", "plot", Storage, "-o", file);
        Assert.Equal(64, code);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("not mine", File.ReadAllText(file));
    }

    [Fact]
    public async Task StudyShow_NegativeTargetCost_OneLineBadInput()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("study", "show", Storage, "--target-cost", "-5");
        Assert.Equal(64, code);
        Assert.StartsWith("levain study show: --target-cost", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
