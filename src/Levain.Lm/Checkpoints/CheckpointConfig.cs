using System.Text.Json.Serialization;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;

namespace Levain.Lm.Checkpoints;

/// <summary>The <c>config.json</c> beside a checkpoint's <c>model.safetensors</c>.</summary>
public sealed record CheckpointConfig(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("model")] GptConfig Model,
    [property: JsonPropertyName("tokenizer")] TokenizerSpec Tokenizer,
    [property: JsonPropertyName("training")] TrainingOptions? Training,
    [property: JsonPropertyName("metrics")] IReadOnlyDictionary<string, double>? Metrics)
{
    public const string CurrentFormat = "levain-gpt/1";

    /// <summary>The format of a config read from a Hugging Face GPT-2 directory (never written to a file).</summary>
    public const string HuggingFaceFormat = "hf-gpt2";
}
