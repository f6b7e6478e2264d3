using System.Runtime.InteropServices;

namespace Levain.Bench.Tuner.Reporting;

/// <summary>The machine a benchmark ran on.</summary>
public sealed record MachineInfo(string Cpu, int LogicalCores, double MemoryGiB, string OperatingSystem, string Runtime)
{
    public static MachineInfo Capture()
    {
        var cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (model is not null && model.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                {
                    cpu = model[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // Keep the architecture name.
        }
        var memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1);
        return new MachineInfo(cpu, Environment.ProcessorCount, memoryGiB, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() => $"{Cpu}, {LogicalCores} logical cores, {MemoryGiB} GiB, {OperatingSystem}, {Runtime}";
}
