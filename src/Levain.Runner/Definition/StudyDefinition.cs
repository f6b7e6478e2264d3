using Levain.Studies;
using Levain.Studies.Trials;
using Levain.Tuning;
using Levain.Tuning.Spaces;

namespace Levain.Runner.Definition;

/// <summary>
/// Everything needed to run a study: what to optimise (turned into the stored <see cref="StudySpec"/>) and how to
/// run trials. Built by <c>StudyFileParser</c> from a YAML file, or in code (e.g. <c>levain demo</c>). Paths are
/// absolute. Defaults are the documented study-file defaults.
/// </summary>
public sealed record StudyDefinition
{
    public required string Name { get; init; }

    /// <summary>The trial program's argv; <c>{param}</c> and <c>{trial_id}</c> are substituted per element (never via a shell).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public required IReadOnlyList<ParameterSpec> Parameters { get; init; }

    /// <summary>Directory the trial program runs in.</summary>
    public required string WorkingDirectory { get; init; }

    public Direction Direction { get; init; } = Direction.Minimize;

    /// <summary>Key of the trial result that is optimised.</summary>
    public string Metric { get; init; } = "loss";

    /// <summary>The metric's natural bound (<c>metric_bound</c>; see <see cref="Levain.Studies.StudySpec.MetricBound"/>), or null.</summary>
    public double? MetricBound { get; init; }

    /// <summary>A parameter name, "seconds" (wall time of the trial), or a key of the trial result.</summary>
    public string Cost { get; init; } = "seconds";

    public CarbsOptions Tuner { get; init; } = new();

    public StudyBudget Budget { get; init; } = StudyBudget.Default;

    /// <summary>Trials run at once by one <c>levain tune</c> process.</summary>
    public int Workers { get; init; } = 1;

    public LauncherDefinition Launcher { get; init; } = LauncherDefinition.Local;

    /// <summary>Storage location: <c>sqlite:path</c> or <c>postgres://…</c>; relative paths resolve against <see cref="BaseDirectory"/>.</summary>
    public required string Storage { get; init; }

    /// <summary>Directory relative paths in the definition resolve against (the study file's directory).</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>Where per-trial logs and result files go.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>A trial running longer than this is killed (its whole process tree) and recorded as failed.</summary>
    public TimeSpan? TrialTimeout { get; init; }

    /// <summary>A lease not renewed for this long is reclaimed (default 60 s).</summary>
    public TimeSpan LeaseTimeToLive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running trial's lease is renewed (default 10 s; must be below the time-to-live).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What happens to a trial whose worker vanished (or whose node died).</summary>
    public ReclaimPolicy OnLostTrial { get; init; } = ReclaimPolicy.Retry;

    /// <summary>How many times one point may be started before it is abandoned.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Extra environment variables for every trial.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// GPUs each concurrent trial of the local launcher gets (its own <c>CUDA_VISIBLE_DEVICES</c> slice); null = none
    /// assigned (trials see whatever the driver sees).
    /// </summary>
    public int? GpusPerTrial { get; init; }

    /// <summary>The GPU ids to slice (default: the driver's CUDA_VISIBLE_DEVICES, else the GPUs nvidia-smi lists).</summary>
    public IReadOnlyList<string>? Gpus { get; init; }

    /// <summary>
    /// Warm start: finished trials of this other study are imported when this study is created (points outside the
    /// search space are listed and dropped). Null: none.
    /// </summary>
    public WarmStartSource? WarmStart { get; init; }

    /// <summary>
    /// Early stopping on the trials' <c>levain-progress</c> curves (cost-aware ASHA, see
    /// <see cref="Levain.Tuning.EarlyStopping.CostAwareAsha"/>); null: every trial runs to its end.
    /// </summary>
    public Levain.Tuning.EarlyStopping.EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>
    /// The numeric search parameter that sets a trial's run length (<c>early_stopping.length_parameter</c>). A trial
    /// stopped at step s of a run of S steps is then observed as the complete shorter run, with this parameter scaled
    /// by s / S; null: a stopped trial is a partial observation of the parameters it was started with.
    /// </summary>
    public string? EarlyStoppingLengthParameter { get; init; }

    /// <summary>
    /// With <see cref="EarlyStopping"/>: the front-dominance rule's settings (<c>early_stopping.rule: front</c>, see
    /// <see cref="Levain.Tuning.EarlyStopping.FrontDominance"/>); null: cost-aware ASHA.
    /// </summary>
    public Levain.Tuning.EarlyStopping.FrontDominanceOptions? EarlyStoppingFront { get; init; }

    /// <summary>The study file this definition was read from, if any.</summary>
    public string? SourcePath { get; init; }

    public StudySpec ToSpec() => new()
    {
        Name = Name,
        Direction = Direction,
        Metric = Metric,
        MetricBound = MetricBound,
        CostSource = Cost,
        Parameters = Parameters,
        Tuner = Tuner,
    };
}
