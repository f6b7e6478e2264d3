using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Levain.Lm.Training;

/// <summary>
/// Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> into a torch device, checking that CUDA and device N exist. Levain
/// ships TorchSharp-cpu, whose libtorch has no CUDA: <c>cuda</c> then fails with a message pointing at docs/gpu.md.
/// </summary>
public static class ComputeDevice
{
    public const string Cpu = "cpu";

    /// <summary>The device, or a message saying why it cannot be used (expected failure, not an exception).</summary>
    public static (Device? Device, string? Problem) TryParse(string? text, Func<bool>? isCudaAvailable = null, Func<int>? cudaDeviceCount = null)
    {
        string value = (text ?? Cpu).Trim().ToLowerInvariant();
        if (value == Cpu)
        {
            return (CPU, null);
        }
        if (value != "cuda" && !value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            return (null, $"unknown device '{text}' (expected cpu, cuda or cuda:N)");
        }
        int index = 0;
        if (value.Length > 5 && !int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return (null, $"device '{text}': the CUDA device number must be a non-negative integer (cuda:0, cuda:1, ...)");
        }
        bool available = (isCudaAvailable ?? cuda.is_available)();
        if (!available)
        {
            return (null, $"device '{text}': CUDA is not available in this build (TorchSharp-cpu) or on this machine; see docs/gpu.md to switch to TorchSharp-cuda");
        }
        int count = (cudaDeviceCount ?? cuda.device_count)();
        if (index >= count)
        {
            return (null, $"device '{text}': there {(count == 1 ? "is 1 CUDA device" : $"are {count} CUDA devices")} (cuda:0{(count > 1 ? $"..cuda:{count - 1}" : "")})");
        }
        return (TorchSharp.torch.device(DeviceType.CUDA, index), null);
    }

    /// <summary>Like <see cref="TryParse"/>, but a problem is an <see cref="ArgumentException"/>.</summary>
    public static Device Parse(string? text)
    {
        var (device, problem) = TryParse(text);
        return device ?? throw new ArgumentException(problem);
    }
}
