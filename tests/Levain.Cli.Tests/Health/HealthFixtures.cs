namespace Levain.Cli.Tests.Health;

/// <summary>
/// The hand-written health fixtures live in tests/Levain.Health.Tests/Fixtures; the CLI tests find them from the
/// repository root and assemble bundle directories from them.
/// </summary>
internal static class HealthFixtures
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>A bundle directory: healthy outputs, with <paramref name="replace"/> (bundle file → fixture) swapped in.</summary>
    public static string Bundle(string directory, string host, params (string File, string Fixture)[] replace)
    {
        var files = new Dictionary<string, string>
        {
            ["nvidia-smi.xml"] = "nvidia-smi/h100-healthy.xml",
            ["dmesg.txt"] = "dmesg/healthy-iso.txt",
            ["nvlink-status.txt"] = "nvlink/status-healthy.txt",
            ["nvlink-errors.txt"] = "nvlink/errors-healthy.txt",
            ["ibstat.txt"] = "ib/ibstat-healthy.txt",
            ["ib-sysfs.txt"] = "ib/sysfs-healthy.txt",
            ["df.txt"] = "host/df-healthy.txt",
            ["swapon.txt"] = "host/swapon-off.txt",
            ["systemctl-is-active.txt"] = "host/systemctl-healthy.txt",
            ["lsmod.txt"] = "host/lsmod-healthy.txt",
        };
        foreach (var (file, fixture) in replace)
        {
            files[file] = fixture;
        }
        Directory.CreateDirectory(directory);
        foreach (var (file, fixture) in files)
        {
            File.Copy(Path(fixture), System.IO.Path.Combine(directory, file), overwrite: true);
        }
        File.WriteAllText(System.IO.Path.Combine(directory, "manifest.json"),
            $$"""{ "host": "{{host}}", "captured_at": "2026-11-20T12:00:00+00:00", "services": [], "commands": [] }""");
        return directory;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "Levain.Health.Tests", "Fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/Levain.Health.Tests/Fixtures not found above " + AppContext.BaseDirectory);
    }
}
