using System.Globalization;

namespace Levain.Cli.Tests.Study;

/// <summary>A temporary directory holding a tiny objective and study files for the CLI study tests.</summary>
internal sealed class StudyTestFiles : IDisposable
{
    /// <summary>
    /// Sleeps argv[2] seconds on trial 1's first attempt and argv[3] seconds otherwise, records "trial attempt pid" in
    /// runs.txt (one O_APPEND write per run), then reports loss = (x − 0.3)².
    /// </summary>
    private const string Objective = """
        import json, os, sys, time
        x = float(sys.argv[1]); first = float(sys.argv[2]); later = float(sys.argv[3])
        attempt = int(os.environ["LEVAIN_ATTEMPT"])
        with open("runs.txt", "a") as f:
            f.write("%s %d %d\n" % (os.environ["LEVAIN_TRIAL_ID"], attempt, os.getpid()))
        print("levain-progress " + json.dumps({"x": x}), flush=True)
        time.sleep(first if attempt == 1 and os.environ["LEVAIN_TRIAL_NUMBER"] == "1" else later)
        json.dump({"loss": (x - 0.3) ** 2}, open(os.environ["LEVAIN_RESULT"], "w"))
        """;

    public StudyTestFiles()
    {
        Path = Directory.CreateTempSubdirectory("levain-cli-study-").FullName;
        File.WriteAllText(System.IO.Path.Combine(Path, "objective.py"), Objective);
    }

    public string Path { get; }

    /// <summary>Writes a study file and returns its path.</summary>
    public string Study(string name, int trials, int workers, double firstDelay, double laterDelay, string storage = "sqlite:./studies.db", string lease = "{ ttl: 3s, heartbeat: 500ms }")
    {
        var text = $$"""
            name: {{name}}
            command: ["python3", "objective.py", "{x}", "{{F(firstDelay)}}", "{{F(laterDelay)}}"]
            cost: seconds
            parameters:
              x: { kind: linear, center: 0, min: -2, max: 2 }
            tuner: { seed: 7, num_random_samples: 3 }
            budget: { trials: {{trials}} }
            workers: {{workers}}
            storage: "{{storage}}"
            lease: {{lease}}
            """;
        var file = System.IO.Path.Combine(Path, name + ".yaml");
        File.WriteAllText(file, text);
        return file;
    }

    public IReadOnlyList<(string TrialId, int Attempt, int Pid)> Runs()
    {
        var file = System.IO.Path.Combine(Path, "runs.txt");
        if (!File.Exists(file)) return [];
        return File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => l.Split(' '))
            .Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture))).ToList();
    }

    private static string F(double x) => x.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
