using Levain.Core;
using System.Text.Json;
using System.Text.Json.Serialization;
using Levain.Lm.Checkpoints;
using Levain.Lm.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Levain.Lm.FineTuning.Lora;

/// <summary>
/// LoRA adapters attached to a <see cref="Gpt"/> through forward hooks on its target projections: the base weights
/// are frozen and untouched, only the adapters train. Saved apart from the base as <c>adapter_model.safetensors</c>
/// (tensors named like PEFT's: <c>base_model.model.&lt;module&gt;.lora_A.weight</c>) and <c>adapter_config.json</c>
/// (rank, alpha, targets, the base checkpoint); <see cref="Merge"/> folds them into the base weights.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    public const string WeightsFileName = "adapter_model.safetensors";
    public const string ConfigFileName = "adapter_config.json";
    private const string Prefix = "base_model.model.";

    private readonly List<(string Module, Linear Linear, LoraAdapter Adapter, nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover Hook)> _attached = [];

    private LoraAdapters(LoraOptions options) => Options = options;

    public LoraOptions Options { get; }

    public bool IsMerged { get; private set; }

    /// <summary>Adapter parameters by tensor name (what trains).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters =>
        _attached.SelectMany(a => new[] { (Prefix + a.Module + ".lora_A.weight", a.Adapter.A), (Prefix + a.Module + ".lora_B.weight", a.Adapter.B) }).ToList();

    public long ParameterCount => NamedParameters.Sum(p => p.Parameter.numel());

    /// <summary>Freezes every base parameter and attaches fresh adapters to the target projections.</summary>
    public static LoraAdapters Attach(Gpt model, LoraOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }
        var adapters = new LoraAdapters(options);
        foreach (var (name, module) in model.named_modules())
        {
            if (module is Linear linear && options.Matches(name))
            {
                var weight = linear.weight!; // (out, in)
                var adapter = new LoraAdapter(weight.shape[1], weight.shape[0], options.Rank, options.Scale, generator);
                var hook = linear.register_forward_hook((_, input, output) => output + adapter.Delta(input));
                adapters._attached.Add((name, linear, adapter, hook));
            }
        }
        if (adapters._attached.Count == 0)
        {
            throw new ArgumentException($"no projection matches the targets [{string.Join(", ", options.Targets)}]", nameof(options));
        }
        return adapters;
    }

    /// <summary>Adds scale·B·A to every target weight and removes the hooks: the model then computes the same function alone.</summary>
    public void Merge()
    {
        ObjectDisposedException.ThrowIf(IsMerged, this);
        using (no_grad())
        {
            foreach (var (_, linear, adapter, hook) in _attached)
            {
                using Tensor update = adapter.DenseUpdate();
                linear.weight!.add_(update);
                hook.remove();
            }
        }
        IsMerged = true;
    }

    public void Save(string directory, string baseDirectory, string baseWeightsHash)
    {
        Directory.CreateDirectory(directory);
        var tensors = NamedParameters.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter)).ToList();
        SafeTensorsFile.Write(Path.Combine(directory, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt", ["levain"] = AdapterConfig.CurrentFormat });
        var config = new AdapterConfig(AdapterConfig.CurrentFormat, "LORA", Path.GetFullPath(baseDirectory), baseWeightsHash, Options.Rank, Options.Alpha, Options.Targets);
        File.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
    }

    public static bool IsAdapterDirectory(string directory) => File.Exists(Path.Combine(directory, ConfigFileName));

    public static AdapterConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        AdapterConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<AdapterConfig>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw LmInputError.FineTune(path, (int)(e.LineNumber ?? 0) + 1, e.Path?.TrimStart('$', '.') ?? "adapter_config", e.Message.Split(". ")[0]);
        }
        if (config is null || string.IsNullOrEmpty(config.BaseModel))
        {
            throw LmInputError.FineTune(path, 0, "base_model_name_or_path", "missing");
        }
        return config;
    }

    /// <summary>Attaches the adapters saved in <paramref name="directory"/> to <paramref name="model"/> (the base they were trained on).</summary>
    public static LoraAdapters Load(string directory, Gpt model)
    {
        var config = ReadConfig(directory);
        var options = new LoraOptions { Rank = config.Rank, Alpha = config.Alpha, Targets = config.Targets };
        if (options.Problem() is { } problem)
        {
            throw LmInputError.FineTune(Path.Combine(directory, ConfigFileName), 0, "r", problem);
        }
        using var generator = new Generator(0);
        var adapters = Attach(model, options, generator);
        string path = Path.Combine(directory, WeightsFileName);
        using SafeTensorsContent content = SafeTensorsFile.Read(path);
        var loaded = content.Tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, parameter) in adapters.NamedParameters)
            {
                if (!loaded.TryGetValue(name, out var source) || !source.shape.SequenceEqual(parameter.shape))
                {
                    adapters.Dispose();
                    throw LmInputError.FineTune(path, 0, name, source is null ? "missing" : $"shape [{string.Join(", ", source.shape)}], expected [{string.Join(", ", parameter.shape)}]");
                }
                parameter.copy_(source);
            }
        }
        return adapters;
    }

    public void Dispose()
    {
        foreach (var (_, _, adapter, hook) in _attached)
        {
            if (!IsMerged)
            {
                hook.remove();
            }
            adapter.Dispose();
        }
        _attached.Clear();
    }
}

/// <summary><c>adapter_config.json</c>, with PEFT's key names where they exist.</summary>
public sealed record AdapterConfig(
    [property: JsonPropertyName("levain_format")] string Format,
    [property: JsonPropertyName("peft_type")] string PeftType,
    [property: JsonPropertyName("base_model_name_or_path")] string BaseModel,
    [property: JsonPropertyName("base_weights_hash")] string BaseWeightsHash,
    [property: JsonPropertyName("r")] int Rank,
    [property: JsonPropertyName("lora_alpha")] double Alpha,
    [property: JsonPropertyName("target_modules")] IReadOnlyList<string> Targets)
{
    public const string CurrentFormat = "levain-lora/1";
}
