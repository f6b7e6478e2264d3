namespace Levain.Lm.Data;

/// <summary>
/// A fixed validation sample per source: up to <c>count</c> windows of T + 1 tokens spread evenly over the source's
/// validation shards (the same windows every evaluation and every run with the same data, so losses compare).
/// </summary>
public static class ValidationWindows
{
    public static IReadOnlyDictionary<string, long[][]> Read(DataManifest manifest, string directory, int sequenceLength, int count)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var result = new Dictionary<string, long[][]>(StringComparer.Ordinal);
        int window = sequenceLength + 1;
        var scratch = new byte[window * manifest.BytesPerToken];
        foreach (DataSource source in manifest.Sources)
        {
            using var shards = new ShardFiles(directory, source.Validation, manifest.BytesPerToken);
            var starts = new List<(int Shard, long Offset)>();
            long usable = Enumerable.Range(0, shards.Count).Sum(i => Math.Max(0, shards.Tokens(i) - window + 1));
            int n = (int)Math.Min(count, usable / window);
            for (int k = 0; k < n; k++)
            {
                long at = k * (usable / n);
                for (int i = 0; i < shards.Count; i++)
                {
                    long span = Math.Max(0, shards.Tokens(i) - window + 1);
                    if (at < span)
                    {
                        starts.Add((i, at));
                        break;
                    }
                    at -= span;
                }
            }
            result[source.Name] = [.. starts.Select(s =>
            {
                var tokens = new long[window];
                shards.Read(s.Shard, s.Offset, tokens, scratch);
                return tokens;
            })];
        }
        return result;
    }
}
