using Levain.Core;
using System.Security.Cryptography;
using System.Text;

namespace Levain.Evals.Running;

/// <summary>SHA-256 of a checkpoint (a file, or every file of a directory by sorted relative path and content).</summary>
public static class ContentHash
{
    public static string OfPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (File.Exists(path))
        {
            AppendFile(hash, path);
        }
        else if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file).Replace('\\', '/') + "\n"));
                AppendFile(hash, file);
            }
        }
        else
        {
            throw new InputException(path, 0, "checkpoint", "does not exist");
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendFile(IncrementalHash hash, string file)
    {
        using var stream = File.OpenRead(file);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
    }
}
