// Marks one GNU symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so the dynamic
// loader accepts a library that asks for a version the system does not define. Used by the build (see
// Directory.Build.targets and DEVELOPERS.md) to let TorchSharp's libLibTorchSharp.so load with Debian 12's
// libstdc++ (GCC 12), which lacks GLIBCXX_3.4.32. That version is needed for one symbol
// (std::ios_base_library_init) that the library never calls: it has no relocation against it.
//
// This one file is compiled twice: by MSBuild's RoslynCodeTaskFactory (with the task class at the bottom) and by
// tests/Levain.Lm.Tests (with LEVAIN_ELF_PATCHER_TESTS defined, which leaves the task out).
//
// ELF layout used (System V gABI and the LSB symbol-versioning chapter), all little-endian:
//   Elf64_Ehdr: e_shoff @0x28 (u64), e_shentsize @0x3A (u16), e_shnum @0x3C (u16)
//   Elf64_Shdr (64 bytes): sh_type @4 (u32), sh_offset @0x18 (u64), sh_size @0x20 (u64), sh_link @0x28 (u32), sh_info @0x2C (u32)
//   Elf64_Verneed (16): vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
//   Elf64_Vernaux (16): vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
//   Elf64_Verdef (20):  vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32
//   Elf64_Verdaux (8):  vda_name u32, vda_next u32
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Levain.Build
{
    /// <summary>Where a required version lives in the file and whether it is already weak.</summary>
    public readonly struct VersionRequirement
    {
        public VersionRequirement(string fileName, string versionName, long flagsOffsetInFile, ushort flags)
        {
            FileName = fileName;
            VersionName = versionName;
            FlagsOffsetInFile = flagsOffsetInFile;
            Flags = flags;
        }

        /// <summary>The library the version is required from (vn_file), e.g. "libstdc++.so.6".</summary>
        public string FileName { get; }

        public string VersionName { get; }

        /// <summary>File offset of the 16-bit vna_flags field.</summary>
        public long FlagsOffsetInFile { get; }

        public ushort Flags { get; }

        public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
    }

    public static class ElfVersionPatcher
    {
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Every Vernaux entry of the .gnu.version_r section (empty when the file has none).</summary>
        public static IReadOnlyList<VersionRequirement> ReadRequirements(byte[] elf)
        {
            var result = new List<VersionRequirement>();
            var (section, strtab) = FindSectionWithStrings(elf, ShtGnuVerneed);
            if (section is null) return result;
            var (sectionOffset, sectionSize, entryCount) = section.Value;
            long vn = sectionOffset;
            for (uint i = 0; i < entryCount; i++)
            {
                CheckRange(elf, vn, 16, sectionOffset, sectionSize);
                ushort auxCount = U16(elf, vn + 2);
                string file = CString(elf, strtab, U32(elf, vn + 4));
                long vna = vn + U32(elf, vn + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    CheckRange(elf, vna, 16, sectionOffset, sectionSize);
                    ushort flags = U16(elf, vna + 4);
                    string name = CString(elf, strtab, U32(elf, vna + 8));
                    result.Add(new VersionRequirement(file, name, vna + 4, flags));
                    uint nextAux = U32(elf, vna + 12);
                    if (nextAux == 0) break;
                    vna += nextAux;
                }
                uint next = U32(elf, vn + 12);
                if (next == 0) break;
                vn += next;
            }
            return result;
        }

        /// <summary>Every version name the file defines in .gnu.version_d (what a libstdc++ offers).</summary>
        public static IReadOnlyList<string> ReadDefinitions(byte[] elf)
        {
            var result = new List<string>();
            var (section, strtab) = FindSectionWithStrings(elf, ShtGnuVerdef);
            if (section is null) return result;
            var (sectionOffset, sectionSize, entryCount) = section.Value;
            long vd = sectionOffset;
            for (uint i = 0; i < entryCount; i++)
            {
                CheckRange(elf, vd, 20, sectionOffset, sectionSize);
                ushort auxCount = U16(elf, vd + 6);
                if (auxCount > 0)
                {
                    long vda = vd + U32(elf, vd + 12);
                    CheckRange(elf, vda, 8, sectionOffset, sectionSize);
                    result.Add(CString(elf, strtab, U32(elf, vda)));
                }
                uint next = U32(elf, vd + 16);
                if (next == 0) break;
                vd += next;
            }
            return result;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the requirement named <paramref name="versionName"/>. Returns false when the file does not
        /// require that version or it is already weak (nothing changed); only the two flag bytes can change.
        /// </summary>
        public static bool TryMarkWeak(byte[] elf, string versionName)
        {
            bool changed = false;
            foreach (var requirement in ReadRequirements(elf))
            {
                if (requirement.VersionName != versionName || requirement.IsWeak) continue;
                ushort flags = (ushort)(requirement.Flags | VerFlagWeak);
                int at = checked((int)requirement.FlagsOffsetInFile);
                elf[at] = (byte)(flags & 0xff);
                elf[at + 1] = (byte)(flags >> 8);
                changed = true;
            }
            return changed;
        }

        /// <summary>
        /// Patches <paramref name="path"/> in place when needed. The new bytes go to a temporary file that replaces the
        /// original by rename, so a hard link into the NuGet cache is never written through; the timestamp is kept so
        /// incremental copies still see the file as up to date.
        /// </summary>
        public static bool PatchFile(string path, string versionName)
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (!TryMarkWeak(bytes, versionName)) return false;
            DateTime lastWriteUtc = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".levain-patch.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Delete(path);
            File.Move(temporary, path);
            File.SetLastWriteTimeUtc(path, lastWriteUtc);
            return true;
        }

        /// <summary>The libstdc++ this process uses (from /proc/self/maps), else the first one at a standard path.</summary>
        public static string? FindSystemLibStdCxx()
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/maps"))
                {
                    int slash = line.IndexOf('/');
                    if (slash >= 0 && line.IndexOf("/libstdc++.so.6", StringComparison.Ordinal) >= 0)
                    {
                        string mapped = line.Substring(slash).Trim();
                        if (File.Exists(mapped)) return mapped;
                    }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        private static ((long Offset, long Size, uint Info)? Section, (long Offset, long Size) Strings) FindSectionWithStrings(byte[] elf, uint type)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("only little-endian ELF64 is supported");
            long shoff = checked((long)U64(elf, 0x28));
            ushort shentsize = U16(elf, 0x3A);
            ushort shnum = U16(elf, 0x3C);
            if (shentsize < 64) throw new InvalidDataException("bad section header size");
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                CheckRange(elf, sh, 64, 0, elf.Length);
                if (U32(elf, sh + 4) != type) continue;
                long offset = checked((long)U64(elf, sh + 0x18));
                long size = checked((long)U64(elf, sh + 0x20));
                uint link = U32(elf, sh + 0x28);
                uint info = U32(elf, sh + 0x2C);
                if (link >= shnum) throw new InvalidDataException("bad sh_link");
                long strHeader = shoff + (long)link * shentsize;
                CheckRange(elf, strHeader, 64, 0, elf.Length);
                long strOffset = checked((long)U64(elf, strHeader + 0x18));
                long strSize = checked((long)U64(elf, strHeader + 0x20));
                CheckRange(elf, offset, size, 0, elf.Length);
                CheckRange(elf, strOffset, strSize, 0, elf.Length);
                return ((offset, size, info), (strOffset, strSize));
            }
            return (null, (0, 0));
        }

        private static void CheckRange(byte[] elf, long start, long length, long regionStart, long regionLength)
        {
            if (start < regionStart || length < 0 || start + length > regionStart + regionLength || start + length > elf.Length)
                throw new InvalidDataException($"ELF structure out of range at offset {start}");
        }

        private static string CString(byte[] elf, (long Offset, long Size) strings, uint index)
        {
            long start = strings.Offset + index;
            if (index >= strings.Size) throw new InvalidDataException("string index out of range");
            long end = start;
            while (end < strings.Offset + strings.Size && elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
        }

        // Little-endian reads written out by hand: the inline task compiles against netstandard, without BinaryPrimitives.
        private static ushort U16(byte[] b, long at) => (ushort)(b[at] | (b[at + 1] << 8));

        private static uint U32(byte[] b, long at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

        private static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);
    }

#if !LEVAIN_ELF_PATCHER_TESTS
    /// <summary>MSBuild task: weakens <see cref="VersionName"/> in each library when the system libstdc++ lacks it.</summary>
    public sealed class WeakenMissingElfVersion : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        [Microsoft.Build.Framework.Required]
        public string VersionName { get; set; } = "";

        public override bool Execute()
        {
            string? libstdcxx = ElfVersionPatcher.FindSystemLibStdCxx();
            if (libstdcxx is null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "levain: no system libstdc++ found; TorchSharp native library left as is");
                return true;
            }
            if (new List<string>(ElfVersionPatcher.ReadDefinitions(File.ReadAllBytes(libstdcxx))).Contains(VersionName))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"levain: {libstdcxx} defines {VersionName}; no patch needed");
                return true;
            }
            foreach (var library in Libraries)
            {
                string path = library.GetMetadata("FullPath");
                if (!File.Exists(path)) continue;
                if (ElfVersionPatcher.PatchFile(path, VersionName))
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"levain: marked {VersionName} weak in {path} ({libstdcxx} lacks it; see DEVELOPERS.md)");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
