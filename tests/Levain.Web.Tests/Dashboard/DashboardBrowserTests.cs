using System.Text.Json;
using Levain.Evals.Items;
using Levain.Evals.Reports;
using Levain.Evals.Scoring;
using Levain.Evals.Statistics;
using Levain.TestSupport;
using Levain.Web.Dashboard;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Levain.Web.Tests.Dashboard;

/// <summary>The dashboard in a real browser: the page's own script fetches, renders and polls.</summary>
public sealed class DashboardBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task StudyPage_OnePointPerFinishedTrial_AndAFinishingTrialAppearsWithoutReload()
    {
        await using var study = await StudyFixture.CreateAsync();
        await study.AddPowerLawTrialsAsync(100, 1000, 10000);
        var failed = await study.StartAsync(0.3, 50);
        await study.FailAsync(failed, "exit code 1");
        var running = await study.StartAsync(0.1 * Math.Pow(3000, -0.5), 3000);
        await study.ProgressAsync(running, "{\"step\": 10, \"loss\": 4.25}");
        File.WriteAllText(Path.Combine(study.LogDirectory, $"trial-{running.Number}.log"), "[levain] starting\nlevain-progress {\"step\": 10}\n");
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Port = 0, Studies = [study.Source], PollInterval = Poll });
        var driver = browser.Fresh();

        driver.Navigate().GoToUrl(server.Address.ToString());
        // The page re-renders its rows on every poll, so an element found a moment ago can be stale: every read
        // that follows a render goes through the wait, which retries on a stale element.
        var wait = Wait(driver);
        wait.Until(d => { d.FindElement(By.CssSelector("a.study-link")).Click(); return true; });
        wait.Until(d => d.FindElements(By.CssSelector("#chart-pareto circle.trial-point")).Count > 0);
        Assert.Equal(6, driver.FindElements(By.CssSelector("#chart-pareto circle.trial-point")).Count);
        Assert.Equal(8, driver.FindElements(By.CssSelector("tr.trial-row")).Count);
        Assert.NotEmpty(driver.FindElements(By.CssSelector("#chart-param-lr polygon.law-band")));
        // The scale-up laws: bands on the parameter and metric charts, the part beyond the dearest Pareto point dashed.
        Assert.NotEmpty(driver.FindElements(By.CssSelector("#chart-param-lr path.law-line.extrapolated")));
        Assert.NotEmpty(driver.FindElements(By.CssSelector("#chart-pareto polygon.law-band")));
        Assert.Contains("Scale-up prediction at cost", driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        var runningRow = By.CssSelector($"tr.trial-row[data-trial='{running.Number}']");
        Assert.Contains("step=10", wait.Until(d => d.FindElement(runningRow).Text), StringComparison.Ordinal);
        wait.Until(d => { d.FindElement(runningRow).Click(); return true; });
        wait.Until(d => d.FindElements(By.CssSelector("tr.log-row pre")).FirstOrDefault()?.Text.Contains("levain-progress", StringComparison.Ordinal) == true);

        ((IJavaScriptExecutor)driver).ExecuteScript("window.__levainNoReload = 42;");
        await study.FinishAsync(running, 10 / Math.Log(3000), 3000);
        wait.Until(d => d.FindElements(By.CssSelector("#chart-pareto circle.trial-point")).Count == 7);
        Assert.Equal("succeeded", wait.Until(d => d.FindElement(runningRow).GetAttribute("data-state")));
        Assert.Equal(42L, ((IJavaScriptExecutor)driver).ExecuteScript("return window.__levainNoReload;"));
        Assert.Empty(browser.ConsoleErrors());
        browser.Fresh();
    }

    [Fact]
    public async Task StudyPage_WithEnoughTrialsForTheSurrogate_ShowsTheMetricsLawAndOneRunAtTheRecommendedSettings()
    {
        // Twenty trials on a power-law front: the surrogate models trace a front, so the scale-up table has the metric's
        // law through it and the output model's prediction for one run at the recommended settings.
        await using var study = await StudyFixture.CreateAsync();
        await study.AddPowerLawTrialsAsync(100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200);
        var data = new DashboardData(new DashboardOptions { Studies = [study.Source] });
        var json = (await data.StudyAsync(0, StudyFixture.Name, CancellationToken.None))!;
        Assert.Equal("surrogate", (string)json["scale_up"]!["metric"]!["method"]!);
        Assert.NotNull(json["scale_up"]!["at_settings"]);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions { Port = 0, Studies = [study.Source], PollInterval = Poll });
        var driver = browser.Fresh();
        driver.Navigate().GoToUrl(server.Address.ToString());
        var wait = Wait(driver);
        wait.Until(d => { d.FindElement(By.CssSelector("a.study-link")).Click(); return true; });
        var text = wait.Until(d => d.FindElement(By.TagName("main")).Text is var t && t.Contains("Scale-up prediction at cost", StringComparison.Ordinal) ? t : null);
        Assert.Contains("saturating law, surrogate's predicted front", text, StringComparison.Ordinal);
        Assert.Contains("one run at these settings", text, StringComparison.Ordinal);
        Assert.Empty(browser.ConsoleErrors());
        browser.Fresh();
    }

    [Fact]
    public async Task EvalAndHealthPages_RenderRowsPromptsAndComparisonWithoutConsoleErrors()
    {
        using var directory = new TempDirectory();
        var a = directory.File("a/report.json", ReportJson.Serialize(Report("model-a", [1, 0, 1, 0])));
        var b = directory.File("b/report.json", ReportJson.Serialize(Report("model-b", [1, 1, 1, 0])));
        var fleet = directory.File("fleet.json", FleetJson);
        await using var server = await DashboardServer.StartAsync(new DashboardOptions
        {
            Port = 0, EvalReports = [Path.GetDirectoryName(a)!, b], HealthReports = [fleet], PollInterval = Poll,
        });
        var driver = browser.Fresh();
        var wait = Wait(driver);

        driver.Navigate().GoToUrl(new Uri(server.Address, "#/eval/0").ToString());
        wait.Until(d => d.FindElements(By.CssSelector("tr.item-row")).Count == 4);
        Assert.Contains("What is 2 + 1?", driver.FindElement(By.CssSelector("tr.item-row")).GetAttribute("textContent"), StringComparison.Ordinal);
        Assert.Contains("0.289", driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal); // SE of acc over 4 rows

        driver.Navigate().GoToUrl(new Uri(server.Address, "#/compare/0/1").ToString());
        var row = wait.Until(d => d.FindElements(By.CssSelector("tr.compare-row")).Select(r => r.Text).FirstOrDefault(t => t.StartsWith("acc", StringComparison.Ordinal)));
        Assert.Contains("0.25", row!, StringComparison.Ordinal);

        driver.Navigate().GoToUrl(new Uri(server.Address, "#/health/0").ToString());
        wait.Until(d => d.FindElements(By.CssSelector("tr.host-row")).Count == 2);
        Assert.Contains("xid 79", driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.ConsoleErrors());
        browser.Fresh();
    }

    private static WebDriverWait Wait(IWebDriver driver)
    {
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait;
    }

    private static RunReport Report(string model, int[] correct)
    {
        var rows = correct.Select((c, i) => new ItemResult
        {
            ItemId = $"q{i}",
            Cluster = $"q{i}",
            Format = ItemFormat.Cloze,
            Prompt = $"What is 2 + {i + 1}?",
            Choices = [new ChoiceResult($"{i + 3}", c == 1 ? -0.5 : -2, 1, 1, 1, true), new ChoiceResult("0", c == 1 ? -2 : -0.5, 1, 1, 1, false)],
            GoldPositions = [0],
            PredictedPosition = c == 1 ? 0 : 1,
            PredictedChoice = c == 1 ? 0 : 1,
            Scores = new Dictionary<string, double> { ["acc"] = c },
        }).ToList();
        var mean = correct.Average();
        var se = Math.Sqrt(correct.Sum(c => (c - mean) * (c - mean)) / (correct.Length - 1) / correct.Length);
        return new RunReport(
            new RunManifest { HarnessVersion = "test", ModelId = model, TokenizerId = "bytes", Backend = "in-process" },
            [new TaskReport { Name = "arith", Source = "arith.jsonl", Items = correct.Length, MetricNames = ["acc"], Metrics = new Dictionary<string, MetricEstimate> { ["acc"] = new(mean, se, correct.Length, "mean") }, Rows = rows }]);
    }

    // The shape of 'levain health fleet --json': two hosts, one with a critical XID finding.
    private static readonly string FleetJson = JsonSerializer.Serialize(new
    {
        status = "critical",
        exit_code = 2,
        elapsed_seconds = 3.2,
        concurrency = 2,
        hosts = new object[]
        {
            new { host = "gpu-01", status = "ok", outcome = "ok", results = new object[] { new { check = "gpu-count", subject = "", severity = "ok", message = "8 GPUs", evidence = Array.Empty<string>(), remediation = "none" } } },
            new { host = "gpu-02", status = "critical", outcome = "ok", results = new object[] { new { check = "xid", subject = "GPU 3", severity = "critical", message = "xid 79: GPU has fallen off the bus", evidence = new[] { "NVRM: Xid (PCI:0000:41:00): 79, pid=1234" }, remediation = "reboot" } } },
        },
    });
}
