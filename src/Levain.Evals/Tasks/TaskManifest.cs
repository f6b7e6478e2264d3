using Levain.Evals.Items;
using Levain.Evals.Metrics;

namespace Levain.Evals.Tasks;

/// <summary>
/// A task manifest (docs/evals.md, "Items and tasks"): where the items come from (a file or a generator), how prompts are
/// built, which metrics are reported, and how many option rotations are run. Paths are absolute once read.
/// </summary>
public sealed record TaskManifest
{
    public required string Name { get; init; }

    /// <summary>An items file (JSON Lines); null when <see cref="Generator"/> is set.</summary>
    public string? ItemsPath { get; init; }

    /// <summary>A generator name (see <c>GeneratorRegistry</c>); null when <see cref="ItemsPath"/> is set.</summary>
    public string? Generator { get; init; }

    public IReadOnlyDictionary<string, string> GeneratorParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The generator's first seed (null: the generator's default, a held-out seed).</summary>
    public int? Seed { get; init; }

    /// <summary>How many items a generator produces.</summary>
    public int Count { get; init; } = 100;

    /// <summary>Overrides the items' own format when set.</summary>
    public ItemFormat? Format { get; init; }

    /// <summary>
    /// The prompt template: <c>{context}</c> (alias <c>{question}</c>) is the item's context, <c>{choices}</c> the
    /// lettered list "A. …\nB. …". Null means the format's default.
    /// </summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Put between the prompt and each answer (default one space).</summary>
    public string TargetDelimiter { get; init; } = " ";

    /// <summary>
    /// Put after each answer when it is scored (and after each few-shot gold): the text that ends an answer in the
    /// model's training data, such as the newline after a code item's answer, so a choice that is a prefix of another
    /// ("1" of "12") gains nothing from being shorter. Null means the generator's own suffix (empty for item files).
    /// </summary>
    public string? TargetSuffix { get; init; }

    /// <summary>Put between few-shot examples and the question (default a blank line).</summary>
    public string FewShotDelimiter { get; init; } = "\n\n";

    public int FewShot { get; init; }

    public int FewShotSeed { get; init; } = 1234;

    /// <summary>Metric names to report; empty means the format's defaults.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Cyclic option rotations for lettered items (1 = the original order only).</summary>
    public int Rotations { get; init; } = 1;

    public IReadOnlyList<string> Stop { get; init; } = ["\n"];

    public int MaxTokens { get; init; } = 32;

    /// <summary>The context that stands for "no context" in <c>acc_pmi</c> (default empty).</summary>
    public string UnconditionalContext { get; init; } = "";

    /// <summary>The accuracy an effective-length summary requires at each length (long-context tasks).</summary>
    public double EffectiveLengthThreshold { get; init; } = 0.8;

    /// <summary>How <c>exact_match</c> compares (Levain's normalisation by default; lm-eval's options for imported tasks).</summary>
    public ExactMatchOptions ExactMatch { get; init; } = ExactMatchOptions.Levain;

    /// <summary>Answer-extraction pipelines for generation items; each adds <c>exact_match,NAME</c>.</summary>
    public IReadOnlyList<FilterPipeline> Filters { get; init; } = [];

    /// <summary>An instruction template every prompt is wrapped in (<c>levain eval --template</c>); null: prompts as built.</summary>
    public InstructionFormat? Instruction { get; init; }

    /// <summary>Where the task came from, for messages (the manifest or items file).</summary>
    public string? SourcePath { get; init; }

    /// <summary>A manifest for a bare items file: every default.</summary>
    public static TaskManifest ForItemsFile(string path) => new()
    {
        Name = Path.GetFileNameWithoutExtension(path),
        ItemsPath = Path.GetFullPath(path),
    };
}
