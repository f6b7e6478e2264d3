using Levain.Evals.Backends;
using static TorchSharp.torch;

namespace Levain.Lm.Scoring;

// The batched forward pass behind every scoring call.
public sealed partial class CheckpointScorer
{
    private IReadOnlyList<ContinuationScore> ScoreJobs(IReadOnlyList<(IReadOnlyList<int> Sequence, int FirstTarget, int Bytes)> jobs, CancellationToken cancellationToken)
    {
        // Flatten every job into windows, score all windows in batches, then regroup per job.
        var windows = new List<(int Job, ScoringWindow Window)>();
        for (int j = 0; j < jobs.Count; j++)
        {
            foreach (ScoringWindow window in ScoringWindow.Cover(jobs[j].Sequence, jobs[j].FirstTarget, _model.Config.BlockSize))
            {
                windows.Add((j, window));
            }
        }
        var scored = new List<TokenScore>[jobs.Count];
        for (int j = 0; j < jobs.Count; j++)
        {
            scored[j] = [];
        }
        lock (_gate)
        {
            bool wasTraining = _model.training;
            _model.eval();
            try
            {
                for (int start = 0; start < windows.Count; start += MaxBatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = windows.Skip(start).Take(MaxBatchSize).ToList();
                    var results = ScoreBatch(batch.Select(w => w.Window).ToList());
                    for (int i = 0; i < batch.Count; i++)
                    {
                        scored[batch[i].Job].AddRange(results[i]);
                    }
                }
            }
            finally
            {
                _model.train(wasTraining);
            }
        }
        return jobs.Select((job, j) => new ContinuationScore(scored[j], job.Bytes)).ToList();
    }

    private List<TokenScore>[] ScoreBatch(IReadOnlyList<ScoringWindow> windows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Every forward pass has the same shape (MaxBatchSize, BlockSize): right padding with token 0 (causal attention
        // never looks right) and whole padding rows. Matrix kernels may round differently for different shapes, so a
        // fixed shape is what makes a window's scores bit-identical whichever batch it lands in.
        int b = MaxBatchSize;
        int t = _model.Config.BlockSize;
        var padded = new long[b * t];
        for (int row = 0; row < windows.Count; row++)
        {
            Array.Copy(windows[row].Inputs, 0, padded, row * t, windows[row].Inputs.Length);
        }
        Tensor inputs = tensor(padded, [b, t], ScalarType.Int64).to(_model.Device); // (B, T)
        Tensor logProbs = _model.forward(inputs).log_softmax(-1);             // (B, T, V)
        Tensor greedy = logProbs.argmax(-1).cpu();                            // (B, T)
        logProbs = logProbs.cpu();
        float[] logProbValues = logProbs.data<float>().ToArray();
        long[] greedyIds = greedy.data<long>().ToArray();
        int v = _model.Config.VocabSize;
        var results = new List<TokenScore>[windows.Count];
        for (int row = 0; row < windows.Count; row++)
        {
            ScoringWindow window = windows[row];
            var scores = new List<TokenScore>(window.Targets.Length);
            for (int i = 0; i < window.Targets.Length; i++)
            {
                int position = window.FirstScoredPosition + i;
                int target = window.Targets[i];
                double logProb = logProbValues[((long)row * t + position) * v + target];
                bool isGreedy = greedyIds[row * t + position] == target;
                scores.Add(new TokenScore(target, _tokenizer.Decode([target]), logProb, isGreedy));
            }
            results[row] = scores;
        }
        return results;
    }
}
