using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// A checkpoint directory in one of two layouts, told apart by <c>config.json</c>: Levain's own (<c>format:
/// "levain-gpt/1"</c>; <c>model.safetensors</c> with nanoGPT tensor names in Linear orientation, float32; the config
/// holds model shape, tokenizer, training settings and final metrics) or Hugging Face GPT-2's (see
/// <see cref="HuggingFaceGpt2"/>). A resumable training checkpoint adds <c>optimizer.safetensors</c> and
/// <c>trainer_state.json</c> (see <see cref="TrainingCheckpoint"/>). Every file is written atomically.
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
        AtomicFile.WriteText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, JsonOptions));
    }

    /// <summary>
    /// Reads <c>config.json</c> of either layout (a Hugging Face config comes back with format
    /// <see cref="CheckpointConfig.HuggingFaceFormat"/>); throws <see cref="FileNotFoundException"/> or
    /// <see cref="InvalidDataException"/> naming the file and field.
    /// </summary>
    public static CheckpointConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!Directory.Exists(directory))
        {
            throw new FileNotFoundException($"{directory}: checkpoint directory not found", directory);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not found (is '{directory}' a Levain or Hugging Face GPT-2 checkpoint directory?)", path);
        }
        JsonObject json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{path}: expected a JSON object ({e.Message})", e);
        }
        if (HuggingFaceGpt2.IsHuggingFaceConfig(json))
        {
            var (model, tokenizer) = HuggingFaceGpt2.ReadConfig(json, path);
            return new CheckpointConfig(CheckpointConfig.HuggingFaceFormat, model, tokenizer, null, null);
        }
        CheckpointConfig? config;
        try
        {
            config = json.Deserialize<CheckpointConfig>();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: field '{e.Path?.TrimStart('$', '.')}': {FirstSentence(e.Message)}", e);
        }
        if (config?.Format is null)
        {
            throw new InvalidDataException($"{path}: field 'format' is missing (neither a Levain nor a Hugging Face config)");
        }
        if (config.Model is null || config.Tokenizer is null)
        {
            throw new InvalidDataException($"{path}: field '{(config.Model is null ? "model" : "tokenizer")}' is missing ('model' and 'tokenizer' are required)");
        }
        if (config.Format != CheckpointConfig.CurrentFormat)
        {
            throw new InvalidDataException($"{path}: field 'format': '{config.Format}' is not '{CheckpointConfig.CurrentFormat}'");
        }
        try
        {
            config.Model.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: field 'model': {e.Message}", e);
        }
        return config;
    }

    /// <summary>Loads the model (in eval mode, on <paramref name="device"/>, default CPU) and tokenizer of a checkpoint directory of either layout.</summary>
    public static LoadedCheckpoint Load(string directory, Device? device = null)
    {
        CheckpointConfig config = ReadConfig(directory);
        string configPath = Path.Combine(directory, ConfigFileName);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        ITextTokenizer tokenizer;
        try
        {
            tokenizer = TokenizerFactory.FromSpec(config.Tokenizer);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath}: field 'tokenizer': {e.Message}", e);
        }
        if (tokenizer.VocabularySize != config.Model.VocabSize)
        {
            throw new InvalidDataException($"{configPath}: field 'vocab_size': the model has {config.Model.VocabSize} but the tokenizer '{tokenizer.Id}' has {tokenizer.VocabularySize}");
        }
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"{weightsPath}: not found (the checkpoint's weights)", weightsPath);
        }
        using var generator = new Generator(0);
        var model = new Gpt(config.Model, generator);
        try
        {
            using var reader = SafeTensorsReader.Open(weightsPath);
            if (config.Format == CheckpointConfig.HuggingFaceFormat)
            {
                HuggingFaceGpt2.CopyWeights(model, reader, weightsPath);
            }
            else
            {
                CopyWeights(model, reader, weightsPath);
            }
            if (device is not null && device.type != DeviceType.CPU)
            {
                model.to(device);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        string hash;
        using (var stream = File.OpenRead(weightsPath))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
        }
        return new LoadedCheckpoint(model, tokenizer, config, hash);
    }

    /// <summary>Copies Levain-layout weights (nanoGPT names, Linear orientation) into <paramref name="model"/>.</summary>
    internal static void CopyWeights(Gpt model, SafeTensorsReader reader, string path)
    {
        var parameters = model.named_parameters().ToList();
        var missing = parameters.Select(p => p.name).Where(n => !reader.Contains(n)).ToList();
        var unexpected = reader.Entries.Select(e => e.Name).Except(parameters.Select(p => p.name)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new InvalidDataException($"{path}: tensors do not match the model (missing: [{string.Join(", ", missing)}], unexpected: [{string.Join(", ", unexpected)}])");
        }
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            SafeTensorsEntry entry = reader.Entry(name);
            if (!entry.Shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] {entry.DType}, expected [{string.Join(", ", parameter.shape)}] (config.json's model shape)");
            }
            using Tensor source = reader.ReadTensor(name);
            if (source.dtype != ScalarType.Float32)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has dtype {entry.DType}, expected a floating-point dtype");
            }
            parameter.copy_(source);
        }
    }

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }
}
