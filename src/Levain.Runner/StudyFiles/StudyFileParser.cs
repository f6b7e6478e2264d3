using System.Text.RegularExpressions;
using Levain.Runner.Definition;
using Levain.Runner.Protocol;
using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Levain.Runner.StudyFiles;

/// <summary>
/// Reads a study file (YAML) into a <see cref="StudyDefinition"/>. Strict: unknown fields, wrong types and impossible
/// values throw one <see cref="StudyFileException"/> naming the file, line and field. Defaults (see README):
/// name = file name without extension; workdir = the study file's directory; direction minimize; metric loss;
/// cost seconds; tuner = CARBS defaults; budget 50 trials; workers 1; launcher local;
/// storage sqlite:./levain-runs/&lt;name&gt;.db; logs ./levain-runs/&lt;name&gt;; no trial timeout;
/// lease { ttl: 60s, heartbeat: 10s }; on_lost_trial retry; max_attempts 3; env {}.
/// </summary>
public static partial class StudyFileParser
{
    private static readonly string[] TopLevelFields =
    [
        "name", "command", "workdir", "direction", "metric", "metric_bound", "cost", "parameters", "tuner", "budget", "workers",
        "launcher", "storage", "logs", "timeout", "lease", "on_lost_trial", "max_attempts", "env",
        "gpus_per_trial", "gpus", "warm_start", "early_stopping",
    ];

    private static readonly Dictionary<string, Direction> Directions = new(StringComparer.Ordinal)
    {
        ["minimize"] = Direction.Minimize,
        ["maximize"] = Direction.Maximize,
    };

    private static readonly Dictionary<string, ReclaimPolicy> Policies = new(StringComparer.Ordinal)
    {
        ["retry"] = ReclaimPolicy.Retry,
        ["forget"] = ReclaimPolicy.Forget,
    };

    /// <summary>Reads and validates the study file at <paramref name="path"/>.</summary>
    public static StudyDefinition Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StudyFileException(path, 0, "", $"cannot read the study file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses study-file text; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static StudyDefinition Parse(string yaml, string path)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(path);
        var fields = new YamlFields(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var problem = (e.InnerException?.Message ?? e.Message).Trim();
            throw new StudyFileException(path, (int)e.Start.Line, "", $"not valid YAML: {problem}", e);
        }
        catch (InvalidOperationException e)
        {
            // Some scanner failures (e.g. an unclosed '{') carry no position; report the last line that parsed.
            throw new StudyFileException(path, LastGoodLine(yaml), "", "not valid YAML near this line (an unclosed bracket or quote?)", e);
        }
        if (stream.Documents.Count == 0) throw new StudyFileException(path, 0, "", "the study file is empty");
        if (stream.Documents.Count > 1) throw fields.Error(stream.Documents[1].RootNode, "", "expected one YAML document, found several");
        var root = fields.Mapping(stream.Documents[0].RootNode, "(top level)");
        fields.CheckKeys(root, "", TopLevelFields);

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? System.Environment.CurrentDirectory;
        YamlNode? Field(string key) => YamlFields.Get(root, key);

        var name = Field("name") is { } nameNode ? StudyName(fields, nameNode) : DefaultName(path);
        var commandNode = Field("command") ?? throw fields.Error(root, "command", "is required: the trial program's argv, e.g. [\"python3\", \"train.py\", \"--lr\", \"{lr}\"]");
        var command = Command(fields, commandNode);
        var parametersNode = Field("parameters") ?? throw fields.Error(root, "parameters", "is required: at least one parameter to tune");
        var parameters = Parameters(fields, parametersNode);
        var parameterNames = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        CheckPlaceholders(fields, commandNode, command, parameterNames, parameters);

        var workdir = baseDirectory;
        if (Field("workdir") is { } workdirNode)
        {
            workdir = Path.GetFullPath(Path.Combine(baseDirectory, fields.NonEmptyString(workdirNode, "workdir")));
            if (!Directory.Exists(workdir)) throw fields.Error(workdirNode, "workdir", $"directory '{workdir}' does not exist");
        }
        var direction = Field("direction") is { } d ? fields.Enum(d, "direction", Directions) : Direction.Minimize;
        var metric = Field("metric") is { } m ? ResultKey(fields, m, "metric") : "loss";
        var cost = Field("cost") is { } c ? ResultKey(fields, c, "cost") : "seconds";
        if (Field("metric") is { } metricNode && parameterNames.Contains(metric))
        {
            throw fields.Error(metricNode, "metric", $"'{metric}' is a parameter; the metric must be a key of the trial's result");
        }
        double? metricBound = Field("metric_bound") is { } mb ? fields.Number(mb, "metric_bound") : null;
        var tuner = Field("tuner") is { } t ? TunerOptions(fields, t) : new CarbsOptions();
        var budget = Field("budget") is { } b ? Budget(fields, b) : StudyBudget.Default;
        var workers = 1;
        if (Field("workers") is { } w)
        {
            workers = fields.Integer(w, "workers");
            if (workers is < 1 or > 1024) throw fields.Error(w, "workers", $"must be between 1 and 1024, got {workers}");
        }
        var launcher = Field("launcher") is { } l ? Launcher(fields, l) : LauncherDefinition.Local;
        var storage = $"sqlite:./levain-runs/{name}.db";
        if (Field("storage") is { } s)
        {
            storage = fields.NonEmptyString(s, "storage");
            if (StudyStorage.Validate(storage) is { } problem) throw fields.Error(s, "storage", problem);
        }
        var logs = Path.Combine(baseDirectory, "levain-runs", name);
        if (Field("logs") is { } logsNode) logs = Path.GetFullPath(Path.Combine(baseDirectory, fields.NonEmptyString(logsNode, "logs")));
        TimeSpan? timeout = Field("timeout") is { } to ? fields.Duration(to, "timeout") : null;
        var (ttl, heartbeat) = Field("lease") is { } leaseNode ? Lease(fields, leaseNode) : (TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        var policy = Field("on_lost_trial") is { } p ? fields.Enum(p, "on_lost_trial", Policies) : ReclaimPolicy.Retry;
        var maxAttempts = 3;
        if (Field("max_attempts") is { } ma)
        {
            maxAttempts = fields.Integer(ma, "max_attempts");
            if (maxAttempts is < 1 or > 100) throw fields.Error(ma, "max_attempts", $"must be between 1 and 100, got {maxAttempts}");
        }
        var env = Field("env") is { } envNode ? Environment(fields, envNode) : new Dictionary<string, string>(StringComparer.Ordinal);
        int? gpusPerTrial = null;
        if (Field("gpus_per_trial") is { } gpt)
        {
            gpusPerTrial = fields.Integer(gpt, "gpus_per_trial");
            if (gpusPerTrial is < 1 or > 64) throw fields.Error(gpt, "gpus_per_trial", $"must be between 1 and 64, got {gpusPerTrial}");
        }
        IReadOnlyList<string>? gpus = null;
        if (Field("gpus") is { } gpusNode)
        {
            gpus = fields.StringList(gpusNode, "gpus");
            if (gpus.Count == 0 || gpus.Any(g => g.Length == 0 || g.Contains(',', StringComparison.Ordinal)))
            {
                throw fields.Error(gpusNode, "gpus", "must be a non-empty list of GPU ids (e.g. [0, 1, 2, 3]), one per entry");
            }
            if (gpus.Distinct(StringComparer.Ordinal).Count() != gpus.Count) throw fields.Error(gpusNode, "gpus", "lists a GPU twice");
        }
        var warmStart = Field("warm_start") is { } warmNode ? WarmStart(fields, warmNode, path, baseDirectory, storage) : null;
        var (earlyStopping, lengthParameter, frontRule) = Field("early_stopping") is { } esNode ? EarlyStopping(fields, esNode, cost, parameters) : default;

        return new StudyDefinition
        {
            WarmStart = warmStart,
            EarlyStopping = earlyStopping,
            EarlyStoppingLengthParameter = lengthParameter,
            EarlyStoppingFront = frontRule,
            Name = name,
            Command = command,
            Parameters = parameters,
            WorkingDirectory = workdir,
            Direction = direction,
            Metric = metric,
            MetricBound = metricBound,
            Cost = cost,
            Tuner = tuner,
            Budget = budget,
            Workers = workers,
            Launcher = launcher,
            Storage = storage,
            BaseDirectory = baseDirectory,
            LogDirectory = logs,
            TrialTimeout = timeout,
            LeaseTimeToLive = ttl,
            HeartbeatInterval = heartbeat,
            OnLostTrial = policy,
            MaxAttempts = maxAttempts,
            Environment = env,
            GpusPerTrial = gpusPerTrial,
            Gpus = gpus,
            SourcePath = Path.GetFullPath(path),
        };
    }

    private static int LastGoodLine(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var line = 1;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is { } current) line = (int)current.End.Line;
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Stop at the first event that cannot be read.
        }
        return line;
    }

    private static string StudyName(YamlFields fields, YamlNode node)
    {
        var name = fields.NonEmptyString(node, "name");
        if (!NamePattern().IsMatch(name))
        {
            throw fields.Error(node, "name", $"'{name}' may only contain letters, digits, '.', '_' and '-' (at most 100 characters)");
        }
        return name;
    }

    private static string DefaultName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var cleaned = new string(stem.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' ? ch : '-').ToArray());
        return cleaned.Length == 0 ? "study" : cleaned;
    }

    private static IReadOnlyList<string> Command(YamlFields fields, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            throw fields.Error(node, "command", "must be a list of arguments (it is never run through a shell), e.g. [\"python3\", \"train.py\", \"--lr\", \"{lr}\"]");
        }
        var command = fields.StringList(node, "command");
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])) throw fields.Error(node, "command", "must name a program to run");
        return command;
    }

    /// <summary>
    /// <c>early_stopping: { min_cost: C, reduction: 3, min_trials: 3, length_parameter: steps, rule: front }</c>: the
    /// trials' progress lines must carry the metric and the cost as they go, so the cost must be <c>seconds</c> or a
    /// result key, not a parameter. Returns the block's settings (ASHA's, whose <c>min_cost</c> both rules use), its
    /// length parameter, and the front rule's settings when that is the rule.
    /// </summary>
    private static (Levain.Tuning.EarlyStopping.EarlyStoppingOptions? Asha, string? Length, Levain.Tuning.EarlyStopping.FrontDominanceOptions? Front) EarlyStopping(
        YamlFields fields, YamlNode node, string cost, IReadOnlyList<ParameterSpec> parameters)
    {
        var map = fields.Mapping(node, "early_stopping");
        fields.CheckKeys(map, "early_stopping", ["rule", "min_cost", "reduction", "min_trials", "length_parameter", "confidence", "window"]);
        if (parameters.Any(p => p.Name == cost))
        {
            throw fields.Error(node, "early_stopping", $"needs a cost the trials report while they run ('seconds' or a key of their levain-progress lines), but the study's cost is the parameter '{cost}'");
        }
        var minCostNode = YamlFields.Get(map, "min_cost") ?? throw fields.Error(map, "early_stopping.min_cost",
            "is required: the cost of the first rung, in the study's cost units (no trial is stopped before it has spent that much)");
        var minCost = fields.Number(minCostNode, "early_stopping.min_cost");
        if (!(minCost > 0) || !double.IsFinite(minCost)) throw fields.Error(minCostNode, "early_stopping.min_cost", $"must be a positive number, got {minCost}");
        var reduction = 3.0;
        if (YamlFields.Get(map, "reduction") is { } r)
        {
            reduction = fields.Number(r, "early_stopping.reduction");
            if (!(reduction >= 1.5 && reduction <= 100)) throw fields.Error(r, "early_stopping.reduction", $"must be between 1.5 and 100, got {reduction}");
        }
        int? minTrials = null;
        if (YamlFields.Get(map, "min_trials") is { } mt)
        {
            minTrials = fields.Integer(mt, "early_stopping.min_trials");
            if (minTrials is < 2 or > 1000) throw fields.Error(mt, "early_stopping.min_trials", $"must be between 2 and 1000, got {minTrials}");
        }
        var length = EarlyStoppingLength(fields, map, parameters);
        return (new Levain.Tuning.EarlyStopping.EarlyStoppingOptions(minCost, reduction, minTrials), length, EarlyStoppingFront(fields, map, minCost, length));
    }

    /// <summary>
    /// <c>early_stopping.rule: front | asha</c> (default: front with a <c>length_parameter</c>, asha without; the
    /// benchmark's measurements in docs/tuner.md chose that) and the front rule's <c>confidence</c> and <c>window</c>.
    /// Returns the front rule's settings, or null for ASHA. Each rule's own keys are refused under the other.
    /// </summary>
    private static Levain.Tuning.EarlyStopping.FrontDominanceOptions? EarlyStoppingFront(YamlFields fields, YamlMappingNode map, double minCost, string? lengthParameter)
    {
        var front = lengthParameter is not null;
        if (YamlFields.Get(map, "rule") is { } ruleNode)
        {
            front = fields.Enum(ruleNode, "early_stopping.rule", new Dictionary<string, bool>(StringComparer.Ordinal) { ["front"] = true, ["asha"] = false });
        }
        var own = front ? new[] { "confidence", "window" } : ["reduction", "min_trials"];
        foreach (var key in new[] { "reduction", "min_trials", "confidence", "window" }.Except(own))
        {
            if (YamlFields.Get(map, key) is { } stray)
            {
                throw fields.Error(stray, $"early_stopping.{key}", $"belongs to rule {(front ? "asha" : "front")}, but this study's rule is {(front ? "front" : "asha")}"
                    + (YamlFields.Get(map, "rule") is null ? (front ? " (the default with a length_parameter)" : " (the default without a length_parameter)") : ""));
            }
        }
        if (!front) return null;
        var options = new Levain.Tuning.EarlyStopping.FrontDominanceOptions(minCost);
        if (YamlFields.Get(map, "confidence") is { } c)
        {
            var confidence = fields.Number(c, "early_stopping.confidence");
            if (!(confidence >= 0 && confidence <= 10)) throw fields.Error(c, "early_stopping.confidence", $"must be between 0 and 10 standard errors, got {confidence}");
            options = options with { Confidence = confidence };
        }
        if (YamlFields.Get(map, "window") is { } w)
        {
            var window = fields.Number(w, "early_stopping.window");
            if (!(window >= 1.5 && window <= 100)) throw fields.Error(w, "early_stopping.window", $"must be between 1.5 and 100, got {window}");
            options = options with { Window = window };
        }
        return options;
    }

    /// <summary>
    /// <c>early_stopping.length_parameter: steps</c>: the numeric search parameter that sets a trial's run length, so a
    /// trial stopped at step s of S is observed as the complete run with that parameter × s / S (docs/trials.md).
    /// </summary>
    private static string? EarlyStoppingLength(YamlFields fields, YamlMappingNode map, IReadOnlyList<ParameterSpec> parameters)
    {
        if (YamlFields.Get(map, "length_parameter") is not { } lengthNode) return null;
        var name = fields.String(lengthNode, "early_stopping.length_parameter");
        var parameter = parameters.FirstOrDefault(p => p.Name == name)
            ?? throw fields.Error(lengthNode, "early_stopping.length_parameter", $"names no search parameter: '{name}' (parameters: {string.Join(", ", parameters.Select(p => p.Name))})");
        if (parameter.Kind is not (ParameterKind.Linear or ParameterKind.Log))
        {
            throw fields.Error(lengthNode, "early_stopping.length_parameter", $"must be a linear or log parameter (a run length), but '{name}' is {parameter.Kind.ToString().ToLowerInvariant()}");
        }
        return name;
    }

    /// <summary>
    /// <c>warm_start: other.yaml</c> (a study file: its storage and name) or <c>warm_start: { study: NAME, storage: URL }</c>
    /// (storage defaults to this study's).
    /// </summary>
    private static WarmStartSource WarmStart(YamlFields fields, YamlNode node, string path, string baseDirectory, string storage)
    {
        if (node is YamlScalarNode)
        {
            var file = Path.GetFullPath(Path.Combine(baseDirectory, fields.NonEmptyString(node, "warm_start")));
            if (string.Equals(file, Path.GetFullPath(path), StringComparison.Ordinal))
            {
                throw fields.Error(node, "warm_start", "names this study file itself");
            }
            if (!File.Exists(file)) throw fields.Error(node, "warm_start", $"study file '{file}' not found");
            StudyDefinition other;
            try
            {
                other = Load(file);
            }
            catch (StudyFileException e)
            {
                throw fields.Error(node, "warm_start", $"cannot read that study file: {e.Message}");
            }
            return new WarmStartSource(other.Storage, other.Name, other.BaseDirectory, $"study '{other.Name}' ({file})");
        }
        var map = fields.Mapping(node, "warm_start");
        fields.CheckKeys(map, "warm_start", ["study", "storage"]);
        var studyNode = YamlFields.Get(map, "study") ?? throw fields.Error(map, "warm_start.study", "is required: the name of the study to import from");
        var study = fields.NonEmptyString(studyNode, "warm_start.study");
        var from = YamlFields.Get(map, "storage") is { } storageNode ? fields.NonEmptyString(storageNode, "warm_start.storage") : storage;
        return new WarmStartSource(from, study, baseDirectory, $"study '{study}' in {from}");
    }

    private static void CheckPlaceholders(YamlFields fields, YamlNode commandNode, IReadOnlyList<string> command, HashSet<string> parameterNames, IReadOnlyList<ParameterSpec> parameters)
    {
        var sequence = (YamlSequenceNode)commandNode;
        for (var i = 0; i < command.Count; i++)
        {
            if (CommandTemplate.FindProblem(command[i], parameterNames, parameters) is { } problem)
            {
                throw fields.Error(sequence.Children[i], $"command[{i}]", problem);
            }
        }
    }

    private static string ResultKey(YamlFields fields, YamlNode node, string field)
    {
        var key = fields.NonEmptyString(node, field);
        if (key.Any(char.IsWhiteSpace)) throw fields.Error(node, field, $"'{key}' must not contain spaces");
        return key;
    }

    private static Dictionary<string, string> Environment(YamlFields fields, YamlNode node)
    {
        var mapping = fields.Mapping(node, "env");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = fields.NonEmptyString(keyNode, "env");
            if (!EnvNamePattern().IsMatch(key)) throw fields.Error(keyNode, $"env.{key}", "is not a valid environment variable name");
            if (key.StartsWith("LEVAIN_", StringComparison.Ordinal)) throw fields.Error(keyNode, $"env.{key}", "LEVAIN_* variables are set by Levain for each trial");
            env[key] = fields.String(valueNode, $"env.{key}");
        }
        return env;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();
}
