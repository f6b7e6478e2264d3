using System.Globalization;
using System.Text;
using Levain.Synthetic.Randomness;

namespace Levain.Synthetic.LongContext;

/// <summary>
/// Long-context retrieval items, correct by construction: needles are placed at sentence boundaries of seeded
/// filler prose, every key and value occurs only in its own needle (and the question), and the gold value is the
/// one the generator wrote. Item k uses seed <c>seed + k</c>. Run it at increasing
/// <see cref="LongContextOptions.LengthInChars"/> to find a model's effective length.
/// </summary>
public static class LongContextGenerator
{
    public const string Name = "levain.long-context";

    public const string Version = "1";

    private const int ChoiceCount = 4;

    private static readonly string[] KeyAdjectives =
    [
        "amber", "silver", "crimson", "hollow", "velvet", "frozen", "golden", "quiet", "rusty", "bright", "mossy",
        "stormy", "paper", "iron", "lucky", "misty",
    ];

    private static readonly string[] KeyNouns =
    [
        "falcon", "otter", "lantern", "harbor", "comet", "willow", "anchor", "thistle", "badger", "kettle", "quartz",
        "meadow", "raven", "tulip", "cobalt", "walrus",
    ];

    public static IReadOnlyList<LongContextItem> Generate(LongContextOptions options, int seed, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        options.Validate();
        if ((long)seed + count - 1 > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "seed + count - 1 must fit in an int.");
        }

        return Enumerable.Range(0, count).Select(k => GenerateOne(options, seed + k)).ToList();
    }

    /// <exception cref="ArgumentOutOfRangeException">The requested length cannot hold the needles and question.</exception>
    public static LongContextItem GenerateOne(LongContextOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new SyntheticRandom(unchecked((seed * -1_028_477_387) ^ 0x1B873593));
        var plan = options.Task switch
        {
            LongContextTask.SingleNeedle => PlanKeyValue(random, needleCount: 1),
            LongContextTask.MultiNeedle => PlanKeyValue(random, options.NeedleCount),
            LongContextTask.VariableTracking => PlanVariables(random, options.ChainCount, options.ChainLength),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Task, "Unknown task."),
        };

        var (context, needles) = Assemble(plan, options, random);
        var choices = new List<string>(plan.Distractors);
        Shuffle(choices, random);
        var gold = random.Next(ChoiceCount);
        choices.Insert(gold, plan.Gold);
        var id = $"lc-{Slug(options.Task)}-{options.LengthInChars.ToString(CultureInfo.InvariantCulture)}-{seed.ToString(CultureInfo.InvariantCulture)}";
        return new LongContextItem(id, options.Task, context, choices, gold, context.Length, plan.QueryKey, needles,
            new GeneratorProvenance(Name, Version, seed, options.ToParameters()));
    }

    private static string Slug(LongContextTask task) => task switch
    {
        LongContextTask.SingleNeedle => "single",
        LongContextTask.MultiNeedle => "multi",
        _ => "vt",
    };

    // Statements in the order they must appear, which of them is the asked one (for Depth), the question, answer.
    private sealed record Plan(
        IReadOnlyList<(string Key, string Value, string Text)> Statements,
        int AskedStatement,
        bool KeepsOrder,
        string QueryKey,
        string Question,
        string Gold,
        IReadOnlyList<string> Distractors);

    private static Plan PlanKeyValue(Random random, int needleCount)
    {
        var keys = KeyAdjectives.SelectMany(a => KeyNouns.Select(n => $"{a}-{n}")).ToList();
        Shuffle(keys, random);
        var values = DistinctNumbers(random, needleCount + ChoiceCount, 1_000_000, 9_999_999);
        var statements = Enumerable.Range(0, needleCount)
            .Select(i => (keys[i], values[i], $"The special magic number for {keys[i]} is {values[i]}."))
            .ToList();
        var asked = random.Next(needleCount);
        // Hardest distractors first: values that are in the text, but under another key.
        var distractors = values.Take(needleCount).Where((_, i) => i != asked)
            .Concat(values.Skip(needleCount)).Take(ChoiceCount - 1).ToList();
        return new Plan(statements, asked, KeepsOrder: false, keys[asked],
            $"\nQuestion: What is the special magic number for {keys[asked]}?\nAnswer:", values[asked], distractors);
    }

    private static Plan PlanVariables(Random random, int chainCount, int chainLength)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < chainCount * chainLength)
        {
            names.Add(string.Concat(Enumerable.Range(0, 5).Select(_ => (char)('A' + random.Next(26)))));
        }

        var nameList = names.ToList();
        var values = DistinctNumbers(random, chainCount + ChoiceCount, 10_000, 99_999);
        var statements = new List<(string Key, string Value, string Text)>();
        // Chains are interleaved at random but each chain's links keep their order, so reading left to right
        // always resolves every variable.
        var next = new int[chainCount];
        while (statements.Count < chainCount * chainLength)
        {
            var chain = random.Next(chainCount);
            if (next[chain] == chainLength)
            {
                continue;
            }

            var link = next[chain]++;
            var name = nameList[(chain * chainLength) + link];
            var source = link == 0 ? values[chain] : $"VAR {nameList[(chain * chainLength) + link - 1]}";
            statements.Add((name, values[chain], $"VAR {name} = {source}."));
        }

        var queryKey = nameList[chainLength - 1];
        var asked = statements.FindIndex(s => s.Key == queryKey);
        var distractors = values.Skip(1).Take(ChoiceCount - 1).ToList();
        return new Plan(statements, asked, KeepsOrder: true, queryKey,
            $"\nQuestion: What is the value of VAR {queryKey}?\nAnswer:", values[0], distractors);
    }

    private static (string Context, IReadOnlyList<Needle> Needles) Assemble(Plan plan, LongContextOptions options, Random random)
    {
        var fixedChars = plan.Question.Length + plan.Statements.Sum(s => s.Text.Length + 1);
        if (fixedChars > options.LengthInChars)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"{options.LengthInChars} characters cannot hold the needles and question ({fixedChars} characters).");
        }

        var sentences = new List<string>();
        var length = fixedChars - 1;
        for (var misses = 0; misses < 20;)
        {
            var sentence = FillerText.Sentence(random);
            if (length + sentence.Length + 1 <= options.LengthInChars)
            {
                sentences.Add(sentence);
                length += sentence.Length + 1;
            }
            else
            {
                misses++;
            }
        }

        // Boundary b means "before sentence b" (b = sentences.Count: after the last one).
        var boundaries = plan.Statements.Select(_ => random.Next(sentences.Count + 1)).ToList();
        if (options.Depth is { } depth)
        {
            boundaries[plan.AskedStatement] = (int)Math.Round(depth * sentences.Count);
        }

        var order = Enumerable.Range(0, plan.Statements.Count).ToList();
        if (plan.KeepsOrder)
        {
            boundaries.Sort();
            if (options.Depth is not null)
            {
                // Keep the asked link at its depth: earlier links before it, later ones after it.
                var at = (int)Math.Round(options.Depth.Value * sentences.Count);
                for (var i = 0; i < boundaries.Count; i++)
                {
                    boundaries[i] = i < plan.AskedStatement ? Math.Min(boundaries[i], at)
                        : i == plan.AskedStatement ? at : Math.Max(boundaries[i], at);
                }

                boundaries.Sort();
            }
        }

        var byBoundary = order.OrderBy(i => boundaries[i]).ThenBy(i => i).ToList();
        var text = new StringBuilder();
        var needles = new List<Needle>();
        var cursor = 0;
        void AppendPiece(string piece)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(piece);
        }

        for (var b = 0; b <= sentences.Count; b++)
        {
            while (cursor < byBoundary.Count && boundaries[byBoundary[cursor]] == b)
            {
                var statement = plan.Statements[byBoundary[cursor]];
                AppendPiece(string.Empty);
                needles.Add(new Needle(statement.Key, statement.Value, statement.Text, text.Length));
                text.Append(statement.Text);
                cursor++;
            }

            if (b < sentences.Count)
            {
                AppendPiece(sentences[b]);
            }
        }

        text.Append(plan.Question);
        return (text.ToString(), needles);
    }

    private static List<string> DistinctNumbers(Random random, int count, int min, int max)
    {
        var numbers = new List<string>();
        while (numbers.Count < count)
        {
            var number = random.Next(min, max + 1).ToString(CultureInfo.InvariantCulture);
            if (!numbers.Contains(number))
            {
                numbers.Add(number);
            }
        }

        return numbers;
    }

    private static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
