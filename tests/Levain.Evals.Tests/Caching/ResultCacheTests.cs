using Levain.Evals.Backends;
using Levain.Evals.Caching;

namespace Levain.Evals.Tests.Caching;

public sealed class ResultCacheTests
{
    [Fact]
    public void Reopen_AfterTornLastLine_KeepsCompleteEntriesBitExact()
    {
        using var temp = new TempDirectory();
        var score = new ContinuationScore([new TokenScore(5, "é", -1.2345678901234567, true), new TokenScore(6, null, -0.1, false)], 3);
        using (var cache = ResultCache.Open(temp.Path))
        {
            cache.AddScore("k1", score);
            cache.AddText("k2", "generated\ntext");
        }
        File.AppendAllText(Path.Combine(temp.Path, "results.jsonl"), "{\"key\":\"k3\",\"tok");
        using (var cache = ResultCache.Open(temp.Path))
        {
            Assert.Equal(2, cache.Count);
            Assert.True(cache.TryGetScore("k1", out var read));
            Assert.Equal(score.Tokens, read.Tokens);
            Assert.Equal(3, read.ByteCount);
            Assert.True(cache.TryGetText("k2", out var text));
            Assert.Equal("generated\ntext", text);
            Assert.False(cache.TryGetScore("k3", out _));
            cache.AddText("k4", "after the torn line");
        }
        using (var cache = ResultCache.Open(temp.Path))
        {
            Assert.True(cache.TryGetText("k4", out var text));
            Assert.Equal("after the torn line", text);
        }
    }

    [Fact]
    public void KeyOf_DiffersWhenAnyPartDiffers()
    {
        var key = ResultCache.KeyOf("m", "t", "score", "ctx", "cont");
        Assert.Equal(key, ResultCache.KeyOf("m", "t", "score", "ctx", "cont"));
        Assert.NotEqual(key, ResultCache.KeyOf("m2", "t", "score", "ctx", "cont"));
        Assert.NotEqual(key, ResultCache.KeyOf("m", "t2", "score", "ctx", "cont"));
        Assert.NotEqual(key, ResultCache.KeyOf("m", "t", "score", "ctxc", "ont"));
    }
}
