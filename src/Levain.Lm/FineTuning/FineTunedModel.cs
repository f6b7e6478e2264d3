using Levain.Core;
using Levain.Lm.Checkpoints;
using Levain.Lm.FineTuning.Lora;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;

namespace Levain.Lm.FineTuning;

/// <summary>
/// A model ready to answer with its template: a checkpoint directory (full weights), or an adapter directory whose
/// <c>adapter_config.json</c> names the base checkpoint (adapters attached, unmerged). The template is the
/// directory's <c>template.json</c>, else the base's, else Dolly's.
/// </summary>
public sealed class FineTunedModel : IDisposable
{
    private readonly LoadedCheckpoint _checkpoint;
    private readonly LoraAdapters? _adapters;

    private FineTunedModel(LoadedCheckpoint checkpoint, LoraAdapters? adapters, PromptTemplate template, string directory)
    {
        _checkpoint = checkpoint;
        _adapters = adapters;
        Template = template;
        Directory = directory;
    }

    public Gpt Model => _checkpoint.Model;

    public ITextTokenizer Tokenizer => _checkpoint.Tokenizer;

    public PromptTemplate Template { get; }

    public string Directory { get; }

    public bool HasAdapters => _adapters is not null;

    /// <summary>An id for reports: the weights hash, plus the adapter directory when adapters are attached.</summary>
    public string ModelId => _adapters is null ? $"levain-gpt:{_checkpoint.WeightsHash}" : $"levain-gpt:{_checkpoint.WeightsHash}+lora:{Path.GetFileName(Path.GetFullPath(Directory))}";

    /// <summary>The encoder for this model's template; refuses a template whose special tokens the tokenizer lacks.</summary>
    public TemplateEncoder CreateEncoder(PromptTemplate? template = null) =>
        new(template ?? Template, Tokenizer, Path.Combine(Directory, LoraAdapters.IsAdapterDirectory(Directory) ? LoraAdapters.ConfigFileName : Checkpoint.ConfigFileName));

    /// <summary>Loads the model and sets torch's thread count to <paramref name="threads"/>.</summary>
    public static FineTunedModel Load(string directory, int threads = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        TorchSharp.torch.set_num_threads(threads);
        if (!LoraAdapters.IsAdapterDirectory(directory))
        {
            var checkpoint = Checkpoint.Load(directory);
            return new FineTunedModel(checkpoint, null, PromptTemplate.ReadFrom(directory) ?? PromptTemplate.Dolly, directory);
        }
        var config = LoraAdapters.ReadConfig(directory);
        var baseCheckpoint = Checkpoint.Load(config.BaseModel);
        try
        {
            if (config.BaseWeightsHash.Length > 0 && config.BaseWeightsHash != baseCheckpoint.WeightsHash)
            {
                throw LmInputError.FineTune(Path.Combine(directory, LoraAdapters.ConfigFileName), 0, "base_weights_hash",
                    $"the adapters were trained on weights {config.BaseWeightsHash}, but {config.BaseModel} now holds {baseCheckpoint.WeightsHash}");
            }
            var adapters = LoraAdapters.Load(directory, baseCheckpoint.Model);
            baseCheckpoint.Model.eval();
            var template = PromptTemplate.ReadFrom(directory) ?? PromptTemplate.ReadFrom(config.BaseModel) ?? PromptTemplate.Dolly;
            return new FineTunedModel(baseCheckpoint, adapters, template, directory);
        }
        catch
        {
            baseCheckpoint.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _adapters?.Dispose();
        _checkpoint.Dispose();
    }
}
