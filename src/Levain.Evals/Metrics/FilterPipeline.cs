namespace Levain.Evals.Metrics;

/// <summary>
/// A named answer-extraction pipeline (one entry of lm-eval's <c>filter_list</c>); its <c>exact_match</c> is reported
/// as <c>exact_match,NAME</c>, lm-eval's key.
/// </summary>
public sealed record FilterPipeline(string Name, IReadOnlyList<AnswerFilter> Steps)
{
    public string Apply(string text) => Steps.Aggregate(text, (current, step) => step.Apply(current));

    public string MetricName => MetricNames.ExactMatch + "," + Name;
}
