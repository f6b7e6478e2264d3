using Levain.Health.Bundles;
using Levain.Health.Profiles;

namespace Levain.Health.Tests.Support;

/// <summary>
/// Builds bundle directories from fixtures: the healthy node, with some files replaced or removed, written to disk
/// and read back through <see cref="BundleReader"/> exactly as a hand-made bundle would be.
/// </summary>
internal static class FixtureBundle
{
    public static readonly DateTimeOffset CapturedAt = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public static HealthProfile Profile => ProfileLoader.Load(Fixture.Path("profiles/h100-hgx.yaml"));

    public static readonly IReadOnlyDictionary<string, string> Healthy = new Dictionary<string, string>
    {
        [BundleFiles.NvidiaSmiXml] = "nvidia-smi/h100-healthy.xml",
        [BundleFiles.KernelLog] = "dmesg/healthy-iso.txt",
        [BundleFiles.NvlinkStatus] = "nvlink/status-healthy.txt",
        [BundleFiles.NvlinkErrors] = "nvlink/errors-healthy.txt",
        [BundleFiles.Ibstat] = "ib/ibstat-healthy.txt",
        [BundleFiles.IbSysfs] = "ib/sysfs-healthy.txt",
        [BundleFiles.Df] = "host/df-healthy.txt",
        [BundleFiles.Swapon] = "host/swapon-off.txt",
        [BundleFiles.Services] = "host/systemctl-healthy.txt",
        [BundleFiles.Lsmod] = "host/lsmod-healthy.txt",
        [BundleFiles.GpuBurn] = "active/gpu-burn-ok.txt",
        [BundleFiles.NcclTests] = "active/nccl-ok.txt",
        [BundleFiles.IbWriteBw] = "active/ib-write-bw-ok.txt",
    };

    /// <summary>
    /// Writes a bundle into <paramref name="directory"/>: the healthy fixtures, with <paramref name="replace"/> (file →
    /// fixture path, or null to leave the file out). A manifest with the capture time is written unless
    /// <paramref name="withManifest"/> is false.
    /// </summary>
    public static string Write(string directory, IReadOnlyDictionary<string, string?>? replace = null, bool withManifest = true, string host = "gpu-node-07")
    {
        Directory.CreateDirectory(directory);
        var files = Healthy.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        foreach (var (file, fixture) in replace ?? new Dictionary<string, string?>())
        {
            files[file] = fixture;
        }
        foreach (var (file, fixture) in files)
        {
            if (fixture is not null)
            {
                File.Copy(Fixture.Path(fixture), Path.Combine(directory, file), overwrite: true);
            }
        }
        File.WriteAllText(Path.Combine(directory, BundleFiles.KernelRelease), "5.15.0-122-generic\n");
        if (withManifest)
        {
            File.WriteAllText(Path.Combine(directory, BundleFiles.Manifest),
                $$"""{ "host": {{System.Text.Json.JsonSerializer.Serialize(host)}}, "captured_at": "{{CapturedAt:O}}", "profile": "h100-hgx", "services": [], "commands": [] }""");
        }
        return directory;
    }

    public static Bundle Read(TempDirectory temp, IReadOnlyDictionary<string, string?>? replace = null, string name = "bundle") =>
        BundleReader.Read(Write(temp.Combine(name), replace));
}
