using System.Globalization;
using Levain.Evals.Items;
using Levain.Synthetic;
using Levain.Synthetic.LongContext;

namespace Levain.Evals.Generators;

/// <summary>
/// Long-context retrieval from <c>Levain.Synthetic</c>, correct by construction: single-key needles, multi-key needles
/// and variable tracking across filler prose, at increasing lengths. Item k uses combination k mod C of
/// (length, task) and seed <c>seed + k</c>, so any prefix of the items (<c>--limit</c>) covers every length evenly.
/// Each item's <c>meta.length</c> is its requested length in characters; the report's effective-length summary groups
/// by it. Parameters: <c>tasks</c> (comma list of single, multi, variable; default all), <c>lengths</c> (characters,
/// default 500,1000,2000,4000), <c>needles</c>, <c>chains</c>, <c>chain_length</c>, <c>depth</c> (0–1; default random).
/// </summary>
public sealed class LongContextRetrievalGenerator : IItemGenerator
{
    public string Name => "long-context";

    public string Version => LongContextGenerator.Version;

    public string Description => "long-context retrieval: single and multi-key needles, variable tracking, at increasing lengths";

    public int DefaultSeed => SeedRanges.HeldOut.Start;

    /// <summary>No training stream of its own, so nothing follows the answer.</summary>
    public string TargetSuffix => string.Empty;

    public IReadOnlyList<EvalItem> Generate(int seed, int count, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var reader = new GeneratorParameters(Name, parameters);
        var tasks = reader.Text("tasks", "single,multi,variable")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant() switch
            {
                "single" => LongContextTask.SingleNeedle,
                "multi" => LongContextTask.MultiNeedle,
                "variable" => LongContextTask.VariableTracking,
                _ => throw reader.Bad("tasks", $"'{t}' is not one of single, multi, variable"),
            })
            .ToArray();
        var lengths = reader.Integers("lengths", [500, 1000, 2000, 4000], 200).Order().ToArray();
        var defaults = new LongContextOptions();
        var needles = reader.Integer("needles", defaults.NeedleCount, 2);
        var chains = reader.Integer("chains", defaults.ChainCount, 1);
        var chainLength = reader.Integer("chain_length", defaults.ChainLength, 1);
        var depthText = reader.Text("depth", "random");
        double? depth = depthText == "random"
            ? null
            : double.TryParse(depthText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d is >= 0 and <= 1
                ? d
                : throw reader.Bad("depth", $"'{depthText}' is not a number between 0 and 1 (or 'random')");
        reader.RejectUnknown();
        if (tasks.Length == 0)
        {
            throw reader.Bad("tasks", "needs at least one task");
        }
        var combinations = lengths.SelectMany(length => tasks.Select(task => (length, task))).ToArray();
        var items = new List<EvalItem>(count);
        for (var k = 0; k < count; k++)
        {
            var (length, task) = combinations[k % combinations.Length];
            var options = new LongContextOptions
            {
                Task = task,
                LengthInChars = length,
                NeedleCount = needles,
                ChainCount = chains,
                ChainLength = chainLength,
                Depth = depth,
            };
            LongContextItem item;
            try
            {
                item = LongContextGenerator.GenerateOne(options, seed + k);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw reader.Bad("lengths", $"{length} characters cannot hold a {task} item with these settings ({e.Message})");
            }
            items.Add(ToItem(item, length));
        }
        return items;
    }

    private static EvalItem ToItem(LongContextItem item, int requestedLength) => new(
        item.Id,
        item.Context,
        item.Choices,
        GoldAnswer.Choice(item.Gold),
        ItemFormat.Cloze,
        QualityLabel.Unreviewed,
        Provenance.FromGenerator(item.Provenance),
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["length"] = requestedLength.ToString(CultureInfo.InvariantCulture),
            ["length_chars"] = item.LengthInChars.ToString(CultureInfo.InvariantCulture),
            ["task"] = item.Task switch
            {
                LongContextTask.SingleNeedle => "single",
                LongContextTask.MultiNeedle => "multi",
                _ => "variable",
            },
            ["query_key"] = item.QueryKey,
        });
}
