using System.Reflection;
using Levain.Build;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Build;

public sealed class ElfVersionPatcherTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void PatchFile_CopyOfTorchSharpLibrary_SetsWeakFlagAndChangesNothingElse()
    {
        string original = PackagedLibraryPath();
        byte[] before = File.ReadAllBytes(original);
        VersionRequirement requirement = Assert.Single(ElfVersionPatcher.ReadRequirements(before), r => r.VersionName == Version);
        Assert.Equal("libstdc++.so.6", requirement.FileName);
        Assert.False(requirement.IsWeak); // the NuGet cache copy is never patched

        string copy = Path.Combine(Path.GetTempPath(), $"levain-elf-{Guid.NewGuid():N}.so");
        try
        {
            File.Copy(original, copy);
            Assert.True(ElfVersionPatcher.PatchFile(copy, Version));
            byte[] after = File.ReadAllBytes(copy);

            Assert.Equal(before.Length, after.Length);
            var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            int at = (int)requirement.FlagsOffsetInFile;
            Assert.Equal([at], changed);
            Assert.Equal(before[at] | ElfVersionPatcher.VerFlagWeak, after[at]);

            var requirementsAfter = ElfVersionPatcher.ReadRequirements(after);
            Assert.True(Assert.Single(requirementsAfter, r => r.VersionName == Version).IsWeak);
            Assert.All(requirementsAfter.Where(r => r.VersionName != Version), r => Assert.False(r.IsWeak));

            Assert.False(ElfVersionPatcher.PatchFile(copy, Version)); // idempotent
            Assert.Equal(after, File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void TryMarkWeak_VersionNotRequired_ChangesNothing()
    {
        byte[] bytes = File.ReadAllBytes(PackagedLibraryPath());
        byte[] copy = (byte[])bytes.Clone();
        Assert.False(ElfVersionPatcher.TryMarkWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(bytes, copy);
    }

    [Fact]
    public void ReadRequirements_NotAnElfFile_Throws()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.ReadRequirements(new byte[128]));
    }

    [Fact]
    public void ReadDefinitions_SystemLibStdCxx_ListsGlibcxxVersions()
    {
        string libstdcxx = ElfVersionPatcher.FindSystemLibStdCxx() ?? throw new InvalidOperationException("no libstdc++ found");
        var versions = ElfVersionPatcher.ReadDefinitions(File.ReadAllBytes(libstdcxx));
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
    }

    [Fact]
    public void BuildOutputCopy_PatchedExactlyWhenSystemLacksVersion()
    {
        string libstdcxx = ElfVersionPatcher.FindSystemLibStdCxx() ?? throw new InvalidOperationException("no libstdc++ found");
        bool systemHasVersion = ElfVersionPatcher.ReadDefinitions(File.ReadAllBytes(libstdcxx)).Contains(Version);
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var requirement = Assert.Single(ElfVersionPatcher.ReadRequirements(File.ReadAllBytes(output)), r => r.VersionName == Version);
        Assert.Equal(!systemHasVersion, requirement.IsWeak);
    }

    [Fact]
    public void TorchSharp_PatchedNativeLibrary_LoadsAndComputes()
    {
        using Tensor a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using Tensor product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }

    private static string PackagedLibraryPath()
    {
        string root = typeof(ElfVersionPatcherTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value ?? throw new InvalidOperationException("NuGetPackageRoot not recorded");
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} not found");
        return path;
    }
}
