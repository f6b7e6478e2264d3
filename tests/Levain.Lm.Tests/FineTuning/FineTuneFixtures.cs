using Levain.Lm.Checkpoints;
using Levain.Lm.FineTuning.Data;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Model;
using Levain.Lm.Tokenization;
using Levain.Lm.Training;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.FineTuning;

internal static class FineTuneFixtures
{
    public static readonly GptConfig Small = new(VocabSize: 257, BlockSize: 96, Layers: 2, Heads: 2, Width: 32);

    public static Gpt Model(ulong seed, GptConfig? config = null)
    {
        using var generator = new Generator(seed);
        var model = new Gpt(config ?? Small, generator);
        model.eval();
        return model;
    }

    /// <summary>Writes a randomly initialised byte-level checkpoint (a stand-in for a pretrained base).</summary>
    public static string SaveBase(string directory, ulong seed = 3, GptConfig? config = null)
    {
        using var model = Model(seed, config);
        Checkpoint.Save(directory, model, new CheckpointConfig(CheckpointConfig.CurrentFormat, model.Config, ByteTokenizer.Instance.ToSpec(), new TrainingOptions(), null));
        return directory;
    }

    public static TemplateEncoder Encoder(PromptTemplate? template = null) =>
        new(template ?? PromptTemplate.DollyCompact, ByteTokenizer.Instance, "test");

    public static FineTuneExample Dolly(string instruction, string response, string context = "", string category = "qa") =>
        FineTuneExample.Dolly(instruction, context, response, category);
}
