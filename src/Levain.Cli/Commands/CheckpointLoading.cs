using Levain.Lm.Scoring;
using Levain.Lm.Training;

namespace Levain.Cli.Commands;

/// <summary>Loads a checkpoint directory (Levain or Hugging Face GPT-2) for a command, turning bad input into one message.</summary>
internal static class CheckpointLoading
{
    public static (CheckpointScorer? Scorer, string? Problem) TryLoad(string path, int threads, string? device)
    {
        if (!Directory.Exists(path))
        {
            return (null, $"{path}: checkpoint: no such directory");
        }
        if (threads < 1)
        {
            return (null, "option '--threads': must be at least 1");
        }
        var (torchDevice, problem) = ComputeDevice.TryParse(device);
        if (problem is not null)
        {
            return (null, $"option '--device': {problem}");
        }
        try
        {
            return (CheckpointScorer.Load(path, threads, torchDevice), null);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or DirectoryNotFoundException)
        {
            return (null, e.Message);
        }
    }
}
