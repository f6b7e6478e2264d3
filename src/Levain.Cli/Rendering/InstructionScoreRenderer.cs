using System.Globalization;
using System.Text.Json.Nodes;
using Levain.Evals.Statistics;
using Levain.Lm.FineTuning.Evaluation;
using Spectre.Console;

namespace Levain.Cli.Rendering;

/// <summary>Held-out instruction scores as a table (overall and per category, optionally before vs after) and as JSON.</summary>
internal static class InstructionScoreRenderer
{
    public static void Render(IAnsiConsole console, InstructionScore after, InstructionScore? before, string title)
    {
        var table = new Table { Title = new TableTitle(title) };
        table.AddColumn("category");
        table.AddColumn(new TableColumn("n").RightAligned());
        if (before is not null)
        {
            table.AddColumn(new TableColumn("exact match before").RightAligned());
        }
        table.AddColumn(new TableColumn(before is null ? "exact match" : "exact match after").RightAligned());
        table.AddColumn(new TableColumn("normalized").RightAligned());
        table.AddColumn(new TableColumn("chance").RightAligned());
        if (before is not null)
        {
            table.AddColumn(new TableColumn("response NLL before").RightAligned());
        }
        table.AddColumn(new TableColumn(before is null ? "response NLL" : "response NLL after").RightAligned());
        foreach (string category in after.Categories.Append("all"))
        {
            var a = category == "all" ? after : after.ForCategory(category);
            var b = category == "all" ? before : before?.ForCategory(category);
            var cells = new List<string> { category == "all" ? "[bold]all[/]" : Markup.Escape(category), a.Rows.Count.ToString(CultureInfo.InvariantCulture) };
            if (b is not null)
            {
                cells.Add(Percent(b.ExactMatch));
            }
            cells.Add(Percent(a.ExactMatch));
            cells.Add(Percent(a.NormalizedMatch));
            cells.Add(a.Chance is double chance ? chance.ToString("P1", CultureInfo.InvariantCulture) : "-");
            if (b is not null)
            {
                cells.Add(Nats(b.ResponseNll));
            }
            cells.Add(Nats(a.ResponseNll));
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    public static JsonObject ToJson(InstructionScore score)
    {
        var json = Summary(score);
        var categories = new JsonObject();
        foreach (string category in score.Categories)
        {
            categories[category] = Summary(score.ForCategory(category));
        }
        json["categories"] = categories;
        return json;
    }

    private static JsonObject Summary(InstructionScore score) => new()
    {
        ["n"] = score.Rows.Count,
        ["response_nll"] = Finite(score.ResponseNll.Value),
        ["response_nll_se"] = Finite(score.ResponseNll.StandardError),
        ["generated"] = score.ExactMatch?.Count ?? 0,
        ["exact_match"] = Finite(score.ExactMatch?.Value),
        ["exact_match_se"] = Finite(score.ExactMatch?.StandardError),
        ["normalized_match"] = Finite(score.NormalizedMatch?.Value),
        ["normalized_match_se"] = Finite(score.NormalizedMatch?.StandardError),
        ["chance"] = Finite(score.Chance),
    };

    public static JsonNode? Finite(double? value) => value is double d && double.IsFinite(d) ? JsonValue.Create(Math.Round(d, 6)) : null;

    private static string Percent(MetricEstimate? estimate) => estimate is null ? "-"
        : estimate.StandardError is double se ? $"{estimate.Value:P1} ± {se:P1}" : $"{estimate.Value:P1}";

    private static string Nats(MetricEstimate estimate) => estimate.StandardError is double se ? $"{estimate.Value:0.000} ± {se:0.000}" : $"{estimate.Value:0.000}";
}
