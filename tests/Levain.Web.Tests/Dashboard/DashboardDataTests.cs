using System.Text.Json.Nodes;
using Levain.TestSupport;
using Levain.Web.Dashboard;

namespace Levain.Web.Tests.Dashboard;

public sealed class DashboardDataTests
{
    [Fact]
    public async Task Study_FinishedAndRunningTrials_RowsFrontCurvesAndProgress()
    {
        await using var study = await StudyFixture.CreateAsync();
        await study.AddPowerLawTrialsAsync(100, 1000, 10000);
        var running = await study.StartAsync(0.01, 500);
        await study.ProgressAsync(running, "{\"step\": 40, \"loss\": 3.5}");
        var data = new DashboardData(new DashboardOptions { Studies = [study.Source] });

        var json = (await data.StudyAsync(0, StudyFixture.Name, CancellationToken.None))!;

        var rows = json["trial_rows"]!.AsArray();
        Assert.Equal(7, rows.Count);
        Assert.Equal(6, rows.Count(r => (string)r!["state"]! == "succeeded"));
        var live = rows.Single(r => (string)r!["state"]! == "running")!;
        Assert.Equal(40, (int)live["last_progress"]!["step"]!);
        Assert.Equal(3, json["pareto"]!.AsArray().Count);
        // The lr curve follows the fitted law: lr = 0.1·cost^-0.5 at every sampled cost, inside its band.
        var lr = json["scaling_law_curves"]!.AsArray().Single(c => (string?)c!["parameter"] == "lr")!;
        foreach (var p in lr["points"]!.AsArray())
        {
            var cost = (double)p!["cost"]!;
            Assert.Equal(0.1 * Math.Pow(cost, -0.5), (double)p["value"]!, 1e-9);
            Assert.True((double)p["lower"]! <= (double)p["value"]! && (double)p["value"]! <= (double)p["upper"]!);
        }
        Assert.Contains(json["scaling_law_curves"]!.AsArray(), c => c!["parameter"] is null);
        Assert.Equal("steps", (string)json["cost"]!);
    }

    [Fact]
    public async Task ListStudies_MissingDatabase_ReportedAndNotCreated()
    {
        using var directory = new TempDirectory();
        var data = new DashboardData(new DashboardOptions { Studies = [new DashboardStudySource("sqlite:" + directory["none.db"], directory.Path)] });

        var list = await data.ListStudiesAsync(CancellationToken.None);

        Assert.Contains("no study database", (string)list.Single()!["error"]!, StringComparison.Ordinal);
        Assert.False(File.Exists(directory["none.db"]));
        Assert.Null(await data.StudyAsync(0, "x", CancellationToken.None));
    }

    [Fact]
    public void Tail_GrowingLogLargerThanTheWindow_LastLinesOnly()
    {
        using var directory = new TempDirectory();
        var path = directory.File("trial-1.log", string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i}\n")));
        var lines = DashboardData.Tail(path, 3);
        Assert.Equal(["line 19997", "line 19998", "line 19999"], lines);
        File.AppendAllText(path, "partial");
        Assert.Equal("partial", DashboardData.Tail(path, 1).Single());
    }

    [Fact]
    public async Task TrialLog_FromTheStudyLogFolder()
    {
        await using var study = await StudyFixture.CreateAsync();
        File.WriteAllText(Path.Combine(study.LogDirectory, "trial-2.log"), "[levain] trial dash-2 starting\nlevain-progress {\"step\": 1}\n");
        var data = new DashboardData(new DashboardOptions { Studies = [study.Source] });
        var log = data.TrialLog(0, 2)!;
        Assert.Equal(2, log["lines"]!.AsArray().Count);
        Assert.False((bool)data.TrialLog(0, 9)!["exists"]!);
        File.WriteAllText(Path.Combine(study.LogDirectory, "trial-3.attempt-1.log"), "first\n");
        File.WriteAllText(Path.Combine(study.LogDirectory, "trial-3.attempt-2.log"), "second\n");
        File.WriteAllText(Path.Combine(study.LogDirectory, "trial-3.attempt-10.log"), "tenth\n");
        Assert.Equal("tenth", (string)data.TrialLog(0, 3)!["lines"]![0]!);
        Assert.Null(new DashboardData(new DashboardOptions { Studies = [study.Source with { LogDirectory = null }] }).TrialLog(0, 2));
    }

    [Fact]
    public async Task Server_ApiAnswersJsonAndUnknownStudyIs404()
    {
        await using var study = await StudyFixture.CreateAsync();
        await study.AddPowerLawTrialsAsync(100, 1000);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Port = 0, Studies = [study.Source] });
        Assert.Equal("127.0.0.1", server.Address.Host);
        using var http = new HttpClient { BaseAddress = server.Address };
        var list = JsonNode.Parse(await http.GetStringAsync("api/studies"))!.AsArray();
        Assert.Equal(StudyFixture.Name, (string)list.Single()!["name"]!);
        var report = JsonNode.Parse(await http.GetStringAsync($"api/studies/0/{StudyFixture.Name}"))!;
        Assert.Equal(4, report["trial_rows"]!.AsArray().Count);
        var missing = await http.GetAsync("api/studies/0/nope");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("text/html", (await http.GetAsync("")).Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("assets/charts.js")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("assets/..%2Fsecret")).StatusCode);
    }
}
