using Levain.Lm.FineTuning;
using Levain.Lm.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Data parallelism inside one process, for training on CPU with several threads: every batch is cut into as many row
/// slices as there are threads, and slice i runs forward and backward on replica i of the model on a thread of its own
/// with a single torch thread. Replica 0 is the trained model; the others are copies whose parameters view the same
/// values (<see cref="FlatAdamW.AttachReplica"/>) and whose gradients go to buffers of their own, added to the trained
/// model's in replica order before clipping, so a step's gradient does not depend on which thread finished first.
/// Slice i's mean loss is weighted by its share of the batch's scored targets (targets the loss ignores, as masked
/// fine-tuning batches have, do not count), so the gradient is that of the whole batch's mean loss.
/// <para>
/// Why: one libtorch operation split over two OpenMP threads forms a thread team that meets at a barrier at its end.
/// A step of a small GPT is hundreds of such operations, many too short to share well, and each barrier has one
/// thread spin or sleep while the other finishes. Slices on their own threads never wait for each other until the
/// step's end. Not used with dropout (the mask generator is one stream), for fine-tuning a subset of the parameters
/// (adapters hook the trained model's modules only), or off the CPU.
/// </para>
/// </summary>
internal sealed class BatchSplit : IDisposable
{
    private readonly Gpt[] _models;
    private readonly SliceWorkers _workers;

    private BatchSplit(Gpt model, FlatAdamW optimizer, int threads)
    {
        _models = new Gpt[threads];
        _models[0] = model;
        for (int i = 1; i < threads; i++)
        {
            // The initial values are replaced at once by views of the trained model's parameters.
            using var generator = new Generator((ulong)i);
            var replica = new Gpt(model.Config, generator);
            replica.train();
            optimizer.AttachReplica([.. replica.named_parameters().Select(p => (p.name, p.parameter))]);
            _models[i] = replica;
        }
        _workers = new SliceWorkers(threads);
    }

    /// <summary>Threads (and model replicas, the trained model included) each batch is split over.</summary>
    public int Threads => _models.Length;

    /// <summary>A split over <see cref="TrainingOptions.Threads"/> threads when the run allows it (see the class remarks), else null.</summary>
    public static BatchSplit? TryCreate(Gpt model, TrainingOptions options, FlatAdamW optimizer, bool wholeModel)
    {
        int threads = Math.Min(options.Threads, options.BatchSize);
        if (!options.SplitBatch || threads < 2 || !wholeModel || options.Dropout > 0 || model.Device.type != DeviceType.CPU)
        {
            return null;
        }
        return new BatchSplit(model, optimizer, threads);
    }

    /// <summary>
    /// Forward and backward of one micro-batch, its slices side by side; gradients accumulate in each replica's
    /// buffer scaled by 1/<paramref name="microBatches"/>. Returns the micro-batch's mean loss.
    /// </summary>
    public double ForwardBackward(Tensor inputs, Tensor targets, int microBatches)
    {
        long rows = inputs.shape[0];
        int slices = (int)Math.Min(_models.Length, rows);
        // Scored targets per slice: the mean each slice's loss takes is over these.
        var scored = new long[slices];
        using (var countScope = NewDisposeScope())
        {
            long[] perRow = targets.ne(MaskedExampleBatches.IgnoredTarget).sum(1).cpu().data<long>().ToArray();
            for (int i = 0; i < slices; i++)
            {
                for (long row = rows * i / slices; row < rows * (i + 1) / slices; row++)
                {
                    scored[i] += perRow[row];
                }
            }
        }
        long total = scored.Sum();
        double[] losses = _workers.Run(i =>
        {
            // A slice with nothing to score adds nothing (its mean would be 0/0); a batch with nothing to score at all
            // gives the whole-batch loss, NaN, as one batch would.
            if (i >= slices || (scored[i] == 0 && total > 0))
            {
                return 0;
            }
            long start = rows * i / slices, count = rows * (i + 1) / slices - start;
            using var scope = NewDisposeScope();
            Tensor logits = _models[i].forward(inputs.narrow(0, start, count)); // (b, T, V)
            Tensor loss = Gpt.Loss(logits, targets.narrow(0, start, count));    // ()
            double share = total > 0 ? scored[i] / (double)total : count / (double)rows;
            using (Scalar weight = (share / microBatches).ToScalar())
            {
                loss.mul(weight).backward();
            }
            return loss.item<float>() * share;
        });
        double sum = 0;
        foreach (double loss in losses)
        {
            sum += loss;
        }
        return sum;
    }

    public void Dispose()
    {
        _workers.Dispose();
        for (int i = 1; i < _models.Length; i++)
        {
            _models[i].Dispose();
        }
    }
}
