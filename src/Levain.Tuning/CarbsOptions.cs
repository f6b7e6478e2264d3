namespace Levain.Tuning;

/// <summary>Tuner configuration with the defaults of docs/tuner.md A7 and the additions of part B.</summary>
public sealed record CarbsOptions
{
    public Direction Direction { get; init; } = Direction.Minimize;

    public int Seed { get; init; }

    /// <summary>
    /// Successful observations needed before the Bayesian phase, and the size of the initial design (default null:
    /// max(4, D + 1) for D basic dimensions, see <see cref="CarbsTuner.RandomPhaseLength"/>). Four random points in a 7-D
    /// space leave the first models fitting a handful of points to seven lengthscales; D + 1 is the fewest that pin a
    /// linear trend in every direction (docs/tuner.md, "Initial design size").
    /// </summary>
    public int? NumRandomSamples { get; init; }

    /// <summary>Standard deviation of search noise in basic units (default 0.3); also the initial lengthscale.</summary>
    public double SearchRadius { get; init; } = 0.3;

    /// <summary>
    /// Exploration bias β of expected improvement, in transformed output units, at the start of a study (default 0.5).
    /// With a budget it is annealed linearly to 0 as the budget is spent (see <see cref="SuggestionBudget"/>).
    /// </summary>
    public double ExplorationBias { get; init; } = 0.5;

    /// <summary>Candidates drawn per basic dimension (default 100).</summary>
    public int CandidatesPerDimension { get; init; } = 100;

    /// <summary>Resample the cheapest least-observed Pareto point every this many successes (default 5; 0 disables).</summary>
    public int ResampleFrequency { get; init; } = 5;

    /// <summary>Suggestions predicted to cost more than this are not made (default none).</summary>
    public double? MaxSuggestionCost { get; init; }

    /// <summary>Quantile of observed costs below which the best output starts the Pareto set (default 0.2).</summary>
    public double MinParetoCostFraction { get; init; } = 0.2;

    public OutstandingEstimator OutstandingEstimator { get; init; } = OutstandingEstimator.Thompson;

    /// <summary>Outstanding suggestions older than this are dropped from the model (default none: kept until observed or forgotten).</summary>
    public TimeSpan? SuggestionTimeToLive { get; init; }

    /// <summary>Probability that candidate mutation changes a categorical or boolean value (default 0.2).</summary>
    public double CategoricalMutationProbability { get; init; } = 0.2;

    /// <summary>
    /// The upper quantile of the cost model's predictive distribution that must fit under the cost cap and the budget
    /// left (default 0.99): a suggestion is made only if P(cost ≤ limit) ≥ this. A hard constraint, never traded for EI.
    /// 0.9 let 4 of 20 height-with-cost studies (an oscillating cost the model cannot follow) end more than one cheapest
    /// trial beyond their budget; 0.99 none, at equal regret elsewhere (docs/tuner.md).
    /// </summary>
    public double CostQuantile { get; init; } = 0.99;

    /// <summary>Per-origin trust regions: the search radius around a Pareto point grows on success, shrinks on failure, restarts (default on).</summary>
    public bool TrustRegions { get; init; } = true;

    /// <summary>
    /// Keep each model's Cholesky factor between suggestions and extend it by the new rows, refitting the kernel
    /// hyperparameters only on the documented schedule (default on; docs/tuner.md). Off: refit and refactorise every
    /// model at every suggestion (the slower behaviour before, kept for the latency benchmark's comparison).
    /// </summary>
    public bool IncrementalModels { get; init; } = true;

    /// <summary>
    /// The output model's observation noise depends on the observation's cost: σ²_n(t) = exp(θ_n + θ_t·(t − 1)) with t
    /// the observation's ln cost scaled to [0, 1] over the successes, θ_t fitted with the other hyperparameters (prior
    /// centred on 0, homoscedastic). Cheap, noisy runs (short or small trainings) are then discounted. Null (the
    /// default, "auto"): decided from the evidence at each suggestion — on while the replicated assignments (resamples)
    /// show material noise, their pooled within-replicate variance at least 2 % of the outputs' variance; off while the
    /// replicates agree, their noise is immaterial, or none exists (then the gap between cheap and dear runs is mostly
    /// model misfit, which a cost-dependent noise would mistake for noise). True or false forces it (docs/tuner.md,
    /// "Cost-dependent output noise").
    /// </summary>
    public bool? CostDependentNoise { get; init; }

    /// <summary>A Latin-hypercube initial design (space filling, around the center) instead of independent draws (default on).</summary>
    public bool SpaceFillingInitialDesign { get; init; } = true;

    /// <summary>
    /// Resample (every <see cref="ResampleFrequency"/> successes) only when the estimated noise makes the order of two
    /// neighbouring Pareto points uncertain; never when replicated points returned identical outputs (default on).
    /// Off: the published rule, which resamples unconditionally.
    /// </summary>
    public bool ResampleOnlyWhenUncertain { get; init; } = true;

    /// <summary>
    /// Width of the target-cost origin weights, as a fraction of the Pareto front's span in ln cost (default 0.25; 0:
    /// the fixed width 0.5 in ln cost of the first v2). Relative, so a front whose costs differ by 20 % is focused as
    /// sharply as one spanning four orders of magnitude.
    /// </summary>
    public double TargetOriginWidth { get; init; } = 0.25;

    /// <summary>
    /// The share of candidates drawn around origins near the target cost is SpentFraction^this (default 0.5: a quarter
    /// of the way through the budget half the candidates already start near the target cost; 1: the share equals the
    /// fraction spent, as in the first v2).
    /// </summary>
    public double TargetOriginPower { get; init; } = 0.5;

    /// <summary>
    /// The cost at which the expected-improvement floor target is read off the Pareto curve: log-uniform between the
    /// cheapest and dearest affordable front point at the start, then concentrating at the dearest as the budget is spent
    /// (quantile u^(1 − SpentFraction)), so late candidates must beat what is known at the target cost (default on).
    /// Off: log-uniform throughout, as published.
    /// </summary>
    public bool FloorTargetTowardTarget { get; init; } = true;

    /// <summary>
    /// Candidates are drawn around each origin with its trust-region radius × (1 − this × SpentFraction) (default 0.75,
    /// at most 0.95): annealed like β, so a study that has spent its budget refines around its best points instead of
    /// scoring far candidates whose only merit is the model's uncertainty. 0: no annealing of the radius.
    /// </summary>
    public double RadiusAnnealing { get; init; } = 0.75;

    /// <summary>
    /// When set, the cost quantile below which the best output starts the Pareto set moves linearly from
    /// <see cref="MinParetoCostFraction"/> to this as the budget is spent, so late candidates start from dearer front
    /// points (default none: fixed). Measured on the held-out problems only; see docs/tuner.md.
    /// </summary>
    public double? LateMinParetoCostFraction { get; init; }

    /// <summary>
    /// When the dearest affordable Pareto point is cheaper than the dearest complete success observed (capped by the cost
    /// limit), it is also projected along the cost model's gradient to that cost, and this share of the target-cost
    /// draws (see <see cref="TargetOriginPower"/>) times the spent fraction goes around the projection instead of a Pareto
    /// point (default 0.5; 0: off). For studies where spending more (fidelity, size, length) buys quality but the best
    /// point found so far is cheap (docs/tuner.md).
    /// </summary>
    public double TargetProjectionShare { get; init; } = 0.5;

    /// <summary>
    /// Use the projected target origin (<see cref="TargetProjectionShare"/>) only when the output model predicts it at
    /// least as good as the Pareto point it was projected from (default off).
    /// </summary>
    public bool TargetProjectionNeedsGain { get; init; }

    /// <summary>
    /// How far the projected target origin (<see cref="TargetProjectionShare"/>) goes, as a fraction of the rise in
    /// transformed log cost from the Pareto point to the target (default 0.5: half way, so the front climbs toward the
    /// target cost one success at a time; 1: all the way).
    /// </summary>
    public double TargetProjectionStep { get; init; } = 0.5;

    /// <summary>
    /// Late-study refinement of the answer at the dear end. A separate output model is fitted on the dear observations
    /// only (complete successes costing at least <see cref="DearCostFraction"/> of the dearest one, when there are at least
    /// D + 2). Once <see cref="AnswerRefinementStart"/> of the budget is spent, with probability this × (f − start) / (1 − start)
    /// at spent fraction f a Bayesian-phase pick is made among
    /// candidates drawn close around the incumbent — the dear point that model predicts best — scored by expected
    /// improvement over it (no exploration bias, no Pareto-curve floor), so late dear runs take small steps from the
    /// answer instead of exploring; and when the study's answer (<see cref="CarbsTuner.EstimateBest"/>) is a dear
    /// point, it is the incumbent. Default 1 (0: off); chosen on development seeds (docs/tuner.md, "Answer refinement").
    /// </summary>
    public double AnswerRefinementShare { get; init; } = 1.0;

    /// <summary>
    /// Standard deviation (basic units) of the refinement candidates around the incumbent (default 0.15), annealed
    /// like every radius by <see cref="RadiusAnnealing"/>.
    /// </summary>
    public double AnswerRefinementRadius { get; init; } = 0.15;

    /// <summary>
    /// The spent fraction at which answer refinement picks begin (default 0.25; 0.5 before): with probability
    /// <see cref="AnswerRefinementShare"/> × (f − this) / (1 − this) at spent fraction f; in [0, 1). Chosen with
    /// <see cref="DearCostFraction"/> on development seeds (docs/tuner.md, "mf-hartmann6 at 25 % and 50 %").
    /// </summary>
    public double AnswerRefinementStart { get; init; } = 0.25;

    /// <summary>
    /// Complete successes costing at least this fraction of the dearest one are dear: the data of answer refinement's
    /// model (default 0.25; 0.5 before; in (0, 1]). A lower fraction gives that model its D + 2 runs earlier.
    /// </summary>
    public double DearCostFraction { get; init; } = 0.25;

    /// <summary>
    /// Share g of the Bayesian phase's candidates drawn from the whole search box (a Latin hypercube in basic units within
    /// the bounds, categories uniform) instead of around a Pareto point, scored by the same acquisition (default 0: off).
    /// The prior term then follows the proposal: the local density is multiplied by ((1 − g) + g·U/N) with U the uniform
    /// density over the box and N the Gaussian density around the nearest Pareto point, so a far candidate is penalised
    /// at most down to the uniform floor instead of without limit. Lets a study that settled in a wrong basin jump to
    /// another; in [0, 1). Measured within the seeds' noise on mf-hartmann6, hence off: see docs/tuner.md, "Global candidates".
    /// </summary>
    public double GlobalCandidateShare { get; init; }

    /// <summary>
    /// The global share is g × (1 − this × SpentFraction), this in [0, 1] (default 0: constant; 1: annealed to 0 as the
    /// budget is spent).
    /// </summary>
    public double GlobalCandidateAnnealing { get; init; }

    /// <summary>
    /// How successful outputs become the output model's target (docs/tuner.md, "Output transform"): the rank-based
    /// <see cref="OutputTransformKind.Quantile"/> (CARBS's choice), one that keeps their magnitudes —
    /// <see cref="OutputTransformKind.Standardize"/> or <see cref="OutputTransformKind.Power"/> (Yeo-Johnson) — or
    /// <see cref="OutputTransformKind.Auto"/> (default: Power while replicates show material noise, else Quantile). Every
    /// kind is monotone and signed so larger is better, with a spread near 1, so β and the other transformed-unit
    /// constants keep their meaning. Measured on development seeds: the magnitude transforms help mf-hartmann6 but hurt
    /// augmented-branin and height-with-cost; Auto changes only the studies with noisy replicates.
    /// </summary>
    public OutputTransformKind OutputTransform { get; init; } = OutputTransformKind.Auto;

    /// <summary>
    /// Anytime checkpoints η (default 2; null: off). With a cost budget, the spent fractions η^−k (k = 0, 1, 2, …; 1/4, 1/2
    /// and 1 for η = 2) are checkpoints, and a Bayesian-phase suggestion should finish by the next one: a pick whose upper
    /// cost quantile does not fit in the budget up to the next checkpoint is replaced by the best candidate that does
    /// (else by the best up to the checkpoint after it; else it stands). So at each checkpoint the study has finished a run of up to the
    /// phase's length, (1 − 1/η) × the checkpoint's budget: the doubling schedule of anytime algorithms, anchored at the
    /// known budget. See docs/tuner.md.
    /// </summary>
    public double? AnytimeCheckpointRatio { get; init; } = 2.0;

    /// <summary>
    /// With <see cref="AnytimeCheckpointRatio"/>: runs whose upper cost quantile is at most this fraction of a
    /// checkpoint's budget may cross it (default 0.1; 0: none). A small run that finishes after a checkpoint costs the
    /// answer there nothing (the phase's large run has finished), while forcing it under the checkpoint makes it cheaper
    /// still: on fidelity problems a low-fidelity run.
    /// </summary>
    public double AnytimeCrossingFraction { get; init; } = 0.1;
}
