using Levain.Evals.Statistics;

namespace Levain.Lm.FineTuning.Evaluation;

/// <summary>Held-out instruction metrics with standard errors (Evals' plain s/√n), overall and per category.</summary>
public sealed record InstructionScore(IReadOnlyList<InstructionRow> Rows)
{
    public MetricEstimate ResponseNll => Mean(Rows.Select(r => r.ResponseNll));

    public MetricEstimate? ExactMatch => Generated(Rows, r => r.Exact);

    public MetricEstimate? NormalizedMatch => Generated(Rows, r => r.Normalized);

    /// <summary>Expected accuracy of a uniform guess among the choices, over generated rows where every row defines it.</summary>
    public double? Chance => ChanceOf(Rows);

    public IReadOnlyList<string> Categories => Rows.Select(r => r.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public InstructionScore ForCategory(string category) => new(Rows.Where(r => r.Category == category).ToList());

    private static MetricEstimate Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return new MetricEstimate(list.Count == 0 ? double.NaN : list.Average(), StandardErrors.Plain(list), list.Count, "mean");
    }

    private static MetricEstimate? Generated(IReadOnlyList<InstructionRow> rows, Func<InstructionRow, double?> value)
    {
        var values = rows.Select(value).OfType<double>().ToList();
        return values.Count == 0 ? null : Mean(values);
    }

    private static double? ChanceOf(IReadOnlyList<InstructionRow> rows)
    {
        var generated = rows.Where(r => r.Generated is not null).ToList();
        return generated.Count > 0 && generated.All(r => r.Chance is not null) ? generated.Average(r => r.Chance!.Value) : null;
    }
}
