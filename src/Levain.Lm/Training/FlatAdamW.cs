using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter's decoupled weight decay, with PyTorch's update order) over every trainable
/// parameter at once. Parameters, their gradients and both moments live in four flat buffers; each parameter is
/// re-pointed at its slice of the parameter buffer and its gradient at its slice of the gradient buffer, so backward
/// accumulates straight into one tensor. A step is then a few whole-buffer operations in cache-sized chunks instead
/// of a dozen operations per parameter, gradient clipping is one norm, and zeroing is one fill. Matrices (rank ≥ 2)
/// come first and decay; vectors (biases, LayerNorm gains) follow and do not.
/// <para>
/// The numbers every step needs (β, 1 − β, ε) are held as long-lived <see cref="Scalar"/>s and the per-step ones are
/// disposed right after the call that reads them, so no garbage-collected Scalar can be finalised while libtorch
/// reads it (the hazard of handing temporaries by raw handle).
/// </para>
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    // 64 Ki floats per buffer chunk: five buffers' chunks (1.25 MiB) stay in L2 across a chunk's ~10 operations,
    // and every chunk is still above libtorch's parallel grain (32 Ki elements), so both threads work on it.
    private const long ChunkElements = 65_536;

    private readonly List<Slot> _slots = [];
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor _expAvg;
    private readonly Tensor _expAvgSq;
    private readonly long _decayedElements;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _weightDecay;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private readonly List<(Tensor Parameter, Tensor Gradient, Tensor ExpAvg, Tensor ExpAvgSq, bool Decays)> _chunks = [];
    private readonly List<Replica> _replicas = [];

    /// <param name="parameters">Named parameters to optimise; all of one dtype and device.</param>
    public FlatAdamW(IReadOnlyList<(string Name, Parameter Parameter)> parameters, double beta1, double beta2, double epsilon, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            throw new ArgumentException("no parameters to optimise", nameof(parameters));
        }
        ScalarType dtype = parameters[0].Parameter.dtype;
        Device device = parameters[0].Parameter.device;
        foreach (var (name, parameter) in parameters)
        {
            if (parameter.dtype != dtype || parameter.device.type != device.type || parameter.device.index != device.index)
            {
                throw new ArgumentException($"parameter '{name}' is {parameter.dtype} on {parameter.device}, the others {dtype} on {device}", nameof(parameters));
            }
        }
        var ordered = parameters.Where(p => p.Parameter.dim() >= 2).Select(p => (p.Name, p.Parameter, Decays: true))
            .Concat(parameters.Where(p => p.Parameter.dim() < 2).Select(p => (p.Name, p.Parameter, Decays: false)))
            .ToList();
        // Every slice starts on a 64-byte boundary (16 floats) so the GEMMs read aligned weights; the padding between
        // slices is zero in every buffer and stays zero (its gradient and moments are zero, so its update is too).
        var offsets = new long[ordered.Count];
        long total = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            offsets[i] = total;
            total = Align(total + ordered[i].Parameter.numel());
            if (i + 1 < ordered.Count && ordered[i].Decays && !ordered[i + 1].Decays)
            {
                _decayedElements = total;
            }
        }
        if (ordered[^1].Decays)
        {
            _decayedElements = total;
        }
        _beta1 = beta1;
        _beta2 = beta2;
        _weightDecay = weightDecay;
        _beta1Scalar = beta1.ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta1 = (1.0 - beta1).ToScalar();
        _oneMinusBeta2 = (1.0 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();

        // Kept beyond any dispose scope the caller may be in: they live as long as this optimizer.
        _parameters = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        _gradients = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        _expAvg = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        _expAvgSq = zeros(total, dtype: dtype, device: device).DetachFromDisposeScope();
        using (no_grad())
        {
            for (int i = 0; i < ordered.Count; i++)
            {
                var (name, parameter, _) = ordered[i];
                long offset = offsets[i], count = parameter.numel();
                long[] shape = parameter.shape;
                using (Tensor value = _parameters.narrow(0, offset, count).view(shape))
                {
                    value.copy_(parameter);
                    parameter.set_(value);
                }
                _slots.Add(new Slot(name, parameter, offset,
                    _gradients.narrow(0, offset, count).view(shape).DetachFromDisposeScope(),
                    _expAvg.narrow(0, offset, count).view(shape).DetachFromDisposeScope(),
                    _expAvgSq.narrow(0, offset, count).view(shape).DetachFromDisposeScope()));
            }
        }
        AddChunks(0, _decayedElements, decays: true);
        AddChunks(_decayedElements, total - _decayedElements, decays: false);
        ZeroGrad();
    }

    /// <summary>Steps taken (PyTorch's per-parameter <c>step</c>; every parameter here shares one).</summary>
    public long StepCount { get; set; }

    /// <summary>Elements optimised.</summary>
    public long ElementCount => _parameters.numel();

    /// <summary>Each parameter's name with its first and second moments (views into the flat buffers).</summary>
    public IEnumerable<(string Name, Tensor ExpAvg, Tensor ExpAvgSq)> States => _slots.Select(s => (s.Name, s.ExpAvg, s.ExpAvgSq));

    /// <summary>Replicas attached with <see cref="AttachReplica"/>.</summary>
    public int ReplicaCount => _replicas.Count;

    /// <summary>
    /// Makes <paramref name="parameters"/> — a replica of the optimised model: the same names and shapes — view this
    /// optimizer's parameter values (every update reaches both) and gives them a flat gradient buffer of their own, so
    /// the replica can run backward on another thread while the original does, neither touching the other's gradients.
    /// <see cref="ReduceReplicaGradients"/> then adds the replicas' gradients to the optimised ones, always in the order
    /// the replicas were attached, so the sum does not depend on which thread finished first.
    /// </summary>
    public void AttachReplica(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var byName = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters)
        {
            byName[name] = parameter;
        }
        if (byName.Count != _slots.Count)
        {
            throw new ArgumentException($"the replica has {byName.Count} parameters, the optimised model {_slots.Count}", nameof(parameters));
        }
        Tensor gradients = zeros_like(_gradients).DetachFromDisposeScope();
        var slots = new List<(Parameter Parameter, Tensor Gradient)>(_slots.Count);
        using (no_grad())
        {
            foreach (Slot slot in _slots)
            {
                if (!byName.TryGetValue(slot.Name, out Parameter? parameter) || !parameter.shape.SequenceEqual(slot.Parameter.shape)
                    || parameter.dtype != slot.Parameter.dtype)
                {
                    gradients.Dispose();
                    throw new ArgumentException($"the replica has no parameter '{slot.Name}' of shape [{string.Join(", ", slot.Parameter.shape)}] and type {slot.Parameter.dtype}", nameof(parameters));
                }
                parameter.set_(slot.Parameter);
                slots.Add((parameter, gradients.narrow(0, slot.Offset, slot.Parameter.numel()).view(slot.Parameter.shape).DetachFromDisposeScope()));
            }
        }
        _replicas.Add(new Replica(gradients, slots));
        ZeroGrad();
    }

    /// <summary>Adds every replica's gradients to the optimised parameters' gradients, in the order the replicas were attached.</summary>
    public void ReduceReplicaGradients()
    {
        foreach (Replica replica in _replicas)
        {
            _gradients.add_(replica.Gradients);
        }
    }

    /// <summary>Zeroes every gradient (the replicas' too) and (re)attaches each parameter's gradient to its slice of the flat buffer.</summary>
    public void ZeroGrad()
    {
        _gradients.zero_();
        foreach (Slot slot in _slots)
        {
            // Something may have replaced or cleared a gradient (a module's zero_grad sets it to none); backward would
            // then write into a fresh tensor this optimizer never sees.
            slot.Parameter.grad = slot.Gradient;
        }
        foreach (Replica replica in _replicas)
        {
            replica.Gradients.zero_();
            foreach (var (parameter, gradient) in replica.Slots)
            {
                parameter.grad = gradient;
            }
        }
    }

    /// <summary>
    /// Scales all gradients so their joint 2-norm is at most <paramref name="maxNorm"/> (PyTorch's
    /// <c>clip_grad_norm_</c>: coefficient maxNorm / (norm + 1e-6) when below 1); returns the norm before clipping.
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        double norm;
        using (Tensor total = _gradients.norm(2.0f)) // the float overload: norm(2) would mean dimension 2
        {
            norm = total.item<float>();
        }
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            using Scalar scale = coefficient.ToScalar();
            _gradients.mul_(scale);
        }
        return norm;
    }

    /// <summary>One AdamW update at <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, StepCount);
        double biasCorrection2 = 1 - Math.Pow(_beta2, StepCount);
        using Scalar decay = (1 - learningRate * _weightDecay).ToScalar();
        using Scalar negativeStepSize = (-learningRate / biasCorrection1).ToScalar();
        using Scalar sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var noGrad = no_grad();
        foreach (var (parameter, gradient, expAvg, expAvgSq, decays) in _chunks)
        {
            if (decays && _weightDecay != 0)
            {
                parameter.mul_(decay);
            }
            expAvg.mul_(_beta1Scalar).add_(gradient, _oneMinusBeta1);
            expAvgSq.mul_(_beta2Scalar).addcmul_(gradient, gradient, _oneMinusBeta2);
            using Tensor denominator = expAvgSq.sqrt();
            denominator.div_(sqrtBiasCorrection2).add_(_epsilon);
            parameter.addcdiv_(expAvg, denominator, negativeStepSize);
        }
    }

    private void AddChunks(long start, long count, bool decays)
    {
        for (long offset = start; offset < start + count; offset += ChunkElements)
        {
            long length = Math.Min(ChunkElements, start + count - offset);
            _chunks.Add((_parameters.narrow(0, offset, length).DetachFromDisposeScope(), _gradients.narrow(0, offset, length).DetachFromDisposeScope(),
                _expAvg.narrow(0, offset, length).DetachFromDisposeScope(), _expAvgSq.narrow(0, offset, length).DetachFromDisposeScope(), decays));
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            chunk.Parameter.Dispose();
            chunk.Gradient.Dispose();
            chunk.ExpAvg.Dispose();
            chunk.ExpAvgSq.Dispose();
        }
        foreach (Slot slot in _slots)
        {
            slot.Gradient.Dispose();
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
        foreach (Replica replica in _replicas)
        {
            foreach (var (_, gradient) in replica.Slots)
            {
                gradient.Dispose();
            }
            replica.Gradients.Dispose();
        }
        foreach (Scalar scalar in new[] { _beta1Scalar, _beta2Scalar, _oneMinusBeta1, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }
        // The parameter buffer stays alive while the parameters view it (libtorch counts the storage's references).
        _parameters.Dispose();
        _gradients.Dispose();
        _expAvg.Dispose();
        _expAvgSq.Dispose();
    }

    private static long Align(long elements) => (elements + 15) / 16 * 16;

    private sealed record Slot(string Name, Parameter Parameter, long Offset, Tensor Gradient, Tensor ExpAvg, Tensor ExpAvgSq);

    private sealed record Replica(Tensor Gradients, List<(Parameter Parameter, Tensor Gradient)> Slots);
}
