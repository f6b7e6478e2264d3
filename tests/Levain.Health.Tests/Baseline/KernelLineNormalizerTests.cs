using CsCheck;
using Levain.Health.Baseline;

namespace Levain.Health.Tests.Baseline;

public sealed class KernelLineNormalizerTests
{
    [Theory]
    [InlineData("pci 0000:18:00.0: reg 0x10: [mem 0x94000000-0x94ffffff 64bit pref]", "pci <pci>: reg <hex>: [mem <hex>-<hex> <n>bit pref]")]
    [InlineData("nvme nvme1: 64/0/0 default/read/poll queues", "nvme nvme<n>: <n>/<n>/<n> default/read/poll queues")]
    [InlineData("e1000e 0000:00:1f.6 eth0: a4:bf:01:2c:3d:4e", "e<n>e <pci> eth<n>: <mac>")]
    [InlineData("NVRM: GPU at PCI:0000:5d:00: GPU-5e2c7a31-84b3-2f0d-9a61-c04d3e7b1003", "NVRM: GPU at PCI:<pci>: <uuid>")]
    [InlineData("  ACPI:   spaces   collapse  ", "ACPI: spaces collapse")]
    public void Normalize_VariableParts_BecomeTokens(string message, string expected) =>
        Assert.Equal(expected, KernelLineNormalizer.Normalize(message));

    [Fact]
    public void Normalize_NumbersAnywhere_SameTemplate()
    {
        // property: changing every number in a line never changes its template
        Gen.Select(Gen.Int[0, 100000], Gen.Int[0, 100000], Gen.Int[0, 64]).Sample((a, b, c) =>
            KernelLineNormalizer.Normalize($"smpboot: CPU {a} booted in {b} us on node{c}") ==
            KernelLineNormalizer.Normalize("smpboot: CPU 1 booted in 2 us on node3"));
    }

    [Fact]
    public void Normalize_DifferentWords_DifferentTemplates() =>
        Assert.NotEqual(KernelLineNormalizer.Normalize("ibp94s0: lost carrier"), KernelLineNormalizer.Normalize("ibp94s0: link becomes ready"));
}
