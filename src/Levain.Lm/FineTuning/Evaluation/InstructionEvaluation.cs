using Levain.Evals.Metrics;
using Levain.Lm.FineTuning.Templates;
using Levain.Lm.Model;
using Levain.Lm.Scoring;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Levain.Lm.FineTuning.Evaluation;

/// <summary>
/// Scores a model on held-out examples: response NLL for every example (teacher-forced, response tokens only, as in
/// training), and for the first <c>generateCount</c> Dolly examples a greedy generation from the templated prompt,
/// cut at the end marker, compared with the gold response. Generation stops at the end marker or after the gold's
/// token count (response + end marker) plus 8 tokens, whichever comes first.
/// </summary>
public static class InstructionEvaluation
{
    public static InstructionScore Score(Gpt model, TemplateEncoder encoder, IReadOnlyList<EncodedExample> examples, int generateCount,
        int maxNewTokens, int batchSize = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(examples);
        var nll = ResponseNll(model, examples, encoder.Tokenizer.EndOfTextId, batchSize, cancellationToken);
        using var scorer = CheckpointScorer.ForModel(model, encoder.Tokenizer, "fine-tuning");
        var rows = new List<InstructionRow>(examples.Count);
        int generated = 0;
        for (int i = 0; i < examples.Count; i++)
        {
            var source = examples[i].Source;
            double? chance = source.Choices > 0 ? 1.0 / source.Choices : null;
            var row = new InstructionRow(source.Category, nll[i].Sum / nll[i].Count, nll[i].Count, null, null, null, chance);
            if (generated < generateCount && !source.IsChat)
            {
                generated++;
                // No output longer than the gold answer by more than a few tokens can match it, so generation stops there.
                int budget = Math.Min(maxNewTokens, examples[i].TrainedCount + 8);
                string text = Generate(scorer, encoder, encoder.EncodePrompt(source.Instruction, source.Context), budget, cancellationToken);
                row = row with
                {
                    Generated = text,
                    Exact = text.Trim() == source.Response.Trim() ? 1 : 0,
                    Normalized = ExactMatch.Normalize(text) == ExactMatch.Normalize(source.Response) ? 1 : 0,
                };
            }
            rows.Add(row);
        }
        return new InstructionScore(rows);
    }

    /// <summary>Greedy continuation of a templated prompt, cut before the template's end marker.</summary>
    public static string Generate(CheckpointScorer scorer, TemplateEncoder encoder, IReadOnlyList<int> prompt, int maxNewTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(encoder);
        string end = encoder.Template.End;
        var tokens = scorer.GenerateStreaming(prompt, maxNewTokens, 0, 0,
            soFar => encoder.Tokenizer.Decode(soFar.TakeLast(Math.Max(8, end.Length * 2))).Contains(end, StringComparison.Ordinal),
            cancellationToken);
        return encoder.Template.CutAtEnd(encoder.Tokenizer.Decode(tokens));
    }

    /// <summary>Per example: the summed NLL (nats) of its trained tokens and their count.</summary>
    public static IReadOnlyList<(double Sum, int Count)> ResponseNll(Gpt model, IReadOnlyList<EncodedExample> examples, int padId, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        var result = new List<(double, int)>(examples.Count);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            foreach (var chunk in examples.Chunk(batchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var (inputs, targets) = MaskedExampleBatches.Build(chunk, padId);              // (B, T), (B, T)
                Tensor logits = model.forward(inputs);                                            // (B, T, V)
                long b = logits.shape[0], t = logits.shape[1];
                Tensor losses = F.cross_entropy(logits.view(b * t, -1), targets.view(-1), ignore_index: MaskedExampleBatches.IgnoredTarget,
                    reduction: nn.Reduction.None).view(b, t);                                     // (B, T), 0 where ignored
                float[] sums = losses.sum(1).data<float>().ToArray();                            // (B)
                long[] counts = targets.ne(MaskedExampleBatches.IgnoredTarget).sum(1).data<long>().ToArray(); // (B)
                for (int r = 0; r < chunk.Length; r++)
                {
                    result.Add((sums[r], (int)counts[r]));
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return result;
    }
}
