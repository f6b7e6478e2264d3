using System.Globalization;
using System.Text;

namespace Levain.Health.Tests.Baseline;

/// <summary>
/// Seeded synthetic boot logs: the same driver messages on every node, with node-specific numbers, addresses,
/// MACs, UUIDs and device indices, so only normalisation makes them comparable.
/// </summary>
internal static class SyntheticBootLogs
{
    public static string Healthy(Random random, int node)
    {
        var sb = new StringBuilder();
        var t = 0.0;
        void Line(string message)
        {
            t += random.NextDouble() * 0.4;
            sb.Append(CultureInfo.InvariantCulture, $"[{t,12:0.000000}] {message}\n");
        }
        string Hex(int digits) => string.Concat(Enumerable.Range(0, digits).Select(_ => "0123456789abcdef"[random.Next(16)]));
        Line($"Linux version 5.15.0-122-generic (buildd@lcy02-amd64-0{random.Next(10, 99)}) #132-Ubuntu SMP");
        Line($"BIOS-e820: [mem 0x{Hex(16)}-0x{Hex(16)}] usable");
        Line($"smpboot: Allowing {random.Next(96, 225)} CPUs, 0 hotplug CPUs");
        for (var gpu = 0; gpu < 4; gpu++)
        {
            Line($"pci 0000:{random.Next(16, 255):x2}:00.0: [10de:2330] type 00 class 0x030200");
        }
        Line($"nvme nvme{random.Next(0, 2)}: pci function 0000:{random.Next(16, 255):x2}:00.0");
        Line($"mlx5_core 0000:{random.Next(16, 255):x2}:00.0: firmware version: 28.39.1002");
        Line($"mlx5_core 0000:5e:00.0 ibp{random.Next(10, 200)}s0: renamed from ib{random.Next(0, 4)}");
        Line($"mlx5_core 0000:5e:00.0: Port module event: module {random.Next(0, 2)}, Cable plugged");
        Line("nvidia: loading out-of-tree module taints kernel.");
        Line($"NVRM: loading NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024");
        Line($"[drm] [nvidia-drm] [GPU ID 0x0000{random.Next(16, 255):x2}00] Loading driver");
        Line($"nvidia-peermem nv_mem_init:{random.Next(400, 600)} module loaded");
        Line($"e1000e 0000:00:1f.6 eth{random.Next(0, 2)}: (PCI Express:2.5GT/s:Width x1) {Hex(2)}:{Hex(2)}:{Hex(2)}:{Hex(2)}:{Hex(2)}:{Hex(2)}");
        Line($"EXT4-fs (nvme{node % 2}n1p2): mounted filesystem with ordered data mode. Opts: (null).");
        Line($"systemd[1]: Started NVIDIA fabric manager service (GPU-{Guid.NewGuid():D}).".Replace(Guid.Empty.ToString(), "", StringComparison.Ordinal));
        return sb.ToString();
    }
}
