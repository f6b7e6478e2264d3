using System.Security.Cryptography;
using System.Text.Json;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// A checkpoint directory: <c>model.safetensors</c> (nanoGPT tensor names, float32) and <c>config.json</c>
/// (model shape, tokenizer, training settings, final metrics).
/// </summary>
public static class Checkpoint
{
    public const string WeightsFileName = "model.safetensors";
    public const string ConfigFileName = "config.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static void Save(string directory, Gpt model, CheckpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(directory);
        var tensors = model.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["levain"] = config.Format, ["tied"] = "lm_head.weight=transformer.wte.weight" };
        SafeTensorsFile.Write(Path.Combine(directory, WeightsFileName), tensors, metadata);
        File.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>Reads <c>config.json</c>; throws <see cref="InvalidDataException"/> naming the file when it is malformed.</summary>
    public static CheckpointConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not found (is '{directory}' a Levain checkpoint directory?)", path);
        }
        CheckpointConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<CheckpointConfig>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
        if (config?.Model is null || config.Tokenizer is null)
        {
            throw new InvalidDataException($"{path}: 'model' and 'tokenizer' are required");
        }
        if (config.Format != CheckpointConfig.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: format '{config.Format}' is not '{CheckpointConfig.CurrentFormat}'");
        }
        return config;
    }

    /// <summary>Loads the model (in eval mode) and tokenizer of a checkpoint directory.</summary>
    public static LoadedCheckpoint Load(string directory)
    {
        CheckpointConfig config = ReadConfig(directory);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        ITextTokenizer tokenizer = TokenizerFactory.FromSpec(config.Tokenizer);
        if (tokenizer.VocabularySize != config.Model.VocabSize)
        {
            throw new InvalidDataException($"{directory}: tokenizer vocabulary {tokenizer.VocabularySize} != model vocab_size {config.Model.VocabSize}");
        }
        using var generator = new Generator(0);
        var model = new Gpt(config.Model, generator);
        try
        {
            using SafeTensorsContent content = SafeTensorsFile.Read(weightsPath);
            CopyWeights(model, content, weightsPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weightsPath)))[..16];
        return new LoadedCheckpoint(model, tokenizer, config, hash);
    }

    private static void CopyWeights(Gpt model, SafeTensorsContent content, string path)
    {
        var loaded = content.Tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        var parameters = model.named_parameters().ToList();
        var missing = parameters.Select(p => p.name).Where(n => !loaded.ContainsKey(n)).ToList();
        var unexpected = loaded.Keys.Except(parameters.Select(p => p.name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException($"{path}: tensors do not match the model (missing: [{string.Join(", ", missing)}], unexpected: [{string.Join(", ", unexpected)}])");
        }
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            Tensor source = loaded[name];
            if (!source.shape.SequenceEqual(parameter.shape) || source.dtype != parameter.dtype)
            {
                throw new InvalidDataException($"{path}: '{name}' has shape [{string.Join(", ", source.shape)}] {source.dtype}, expected [{string.Join(", ", parameter.shape)}] {parameter.dtype}");
            }
            parameter.copy_(source);
        }
    }
}
