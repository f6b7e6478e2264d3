using System.Text;

namespace Levain.Evals;

/// <summary>FNV-1a over UTF-8: a hash that is the same in every process (string.GetHashCode is randomised per process).</summary>
internal static class StableHash
{
    public static int Of(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)hash;
    }
}
