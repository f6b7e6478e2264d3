using Levain.Evals.Items;

namespace Levain.Evals.Metrics;

/// <summary>The metric names a manifest may ask for, and each format's defaults.</summary>
public static class MetricNames
{
    public const string Acc = "acc";
    public const string AccNorm = "acc_norm";
    public const string AccBytes = "acc_bytes";
    public const string AccTokens = "acc_tokens";
    public const string AccPmi = "acc_pmi";
    public const string NllCorrect = "nll_correct";
    public const string NllCorrectPerByte = "nll_correct_per_byte";
    public const string PCorrect = "p_correct";
    public const string Brier = "brier";
    public const string Ece = "ece";
    public const string ExactMatch = "exact_match";
    public const string Perplexity = "perplexity";
    public const string WordPerplexity = "word_perplexity";
    public const string BytePerplexity = "byte_perplexity";
    public const string BitsPerByte = "bits_per_byte";

    /// <summary>Metrics whose per-row values are averaged (the rest are computed over the whole set and bootstrapped).</summary>
    public static IReadOnlySet<string> RowMeans { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Acc, AccNorm, AccBytes, AccTokens, AccPmi, NllCorrect, NllCorrectPerByte, PCorrect, Brier, ExactMatch,
    };

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(RowMeans.Concat([Ece, Perplexity, WordPerplexity, BytePerplexity, BitsPerByte]), StringComparer.Ordinal);

    /// <summary>Whether the metric is averaged per row (also <c>exact_match,FILTER</c> of a filter pipeline).</summary>
    public static bool IsRowMean(string metric) => RowMeans.Contains(metric) || metric.StartsWith(ExactMatch + ",", StringComparison.Ordinal);

    public static IReadOnlyList<string> DefaultsFor(ItemFormat format) => format switch
    {
        ItemFormat.Cloze => [Acc, AccNorm, AccBytes, AccTokens, AccPmi, NllCorrect, NllCorrectPerByte, PCorrect, Brier, Ece],
        ItemFormat.Lettered => [Acc, NllCorrect, PCorrect, Brier, Ece],
        ItemFormat.Generate => [ExactMatch],
        _ => [Perplexity, WordPerplexity, BytePerplexity, BitsPerByte],
    };
}
