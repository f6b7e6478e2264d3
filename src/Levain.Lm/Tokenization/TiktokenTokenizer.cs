using System.Security.Cryptography;
using System.Text;
using MlTiktoken = Microsoft.ML.Tokenizers.TiktokenTokenizer;

namespace Levain.Lm.Tokenization;

/// <summary>
/// GPT-style BPE (cl100k_base or o200k_base, from the Microsoft.ML.Tokenizers data packages) with a compact
/// vocabulary: only the base ids seen when the tokenizer was fitted get model ids, so a small model trained on a
/// user's text does not carry a 100k-row embedding. Model id 0 is "unknown" (a base id never seen), 1 is
/// end-of-text, 2.. are the kept base ids in ascending order.
/// </summary>
public sealed class TiktokenTokenizer : ITextTokenizer
{
    public const int UnknownId = 0;
    public const int EndOfText = 1;
    private const int FirstKeptId = 2;

    private static readonly string[] KnownEncodings = ["cl100k_base", "o200k_base"];

    private readonly MlTiktoken _bpe;
    private readonly int[] _baseIdByModelId;
    private readonly Dictionary<int, int> _modelIdByBaseId;

    private TiktokenTokenizer(string encoding, MlTiktoken bpe, int[] keptBaseIds)
    {
        Encoding = encoding;
        _bpe = bpe;
        _baseIdByModelId = new int[keptBaseIds.Length + FirstKeptId];
        _baseIdByModelId[UnknownId] = -1;
        _baseIdByModelId[EndOfText] = -1;
        _modelIdByBaseId = new Dictionary<int, int>(keptBaseIds.Length);
        for (int i = 0; i < keptBaseIds.Length; i++)
        {
            _baseIdByModelId[i + FirstKeptId] = keptBaseIds[i];
            _modelIdByBaseId[keptBaseIds[i]] = i + FirstKeptId;
        }
        Id = $"{encoding}+compact:{VocabularyHash(keptBaseIds)}";
    }

    /// <summary>The tiktoken encoding name, e.g. "cl100k_base".</summary>
    public string Encoding { get; }

    public string Id { get; }

    public int VocabularySize => _baseIdByModelId.Length;

    public int EndOfTextId => EndOfText;

    public static IReadOnlyList<string> Encodings => KnownEncodings;

    /// <summary>Builds the compact vocabulary from the base tokens that occur in <paramref name="texts"/>.</summary>
    public static TiktokenTokenizer Fit(string encoding, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        MlTiktoken bpe = CreateBase(encoding);
        var seen = new HashSet<int>();
        foreach (string text in texts)
        {
            seen.UnionWith(bpe.EncodeToIds(text));
        }
        int[] kept = [.. seen.Order()];
        return new TiktokenTokenizer(encoding, bpe, kept);
    }

    /// <summary>Rebuilds a fitted tokenizer from its checkpoint description.</summary>
    public static TiktokenTokenizer FromSpec(TokenizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Encoding is null || spec.BaseIds is null)
        {
            throw new ArgumentException("a tiktoken tokenizer spec needs 'encoding' and 'base_ids'", nameof(spec));
        }
        int[] kept = [.. spec.BaseIds];
        for (int i = 1; i < kept.Length; i++)
        {
            if (kept[i] <= kept[i - 1])
            {
                throw new ArgumentException("'base_ids' must be strictly ascending", nameof(spec));
            }
        }
        return new TiktokenTokenizer(spec.Encoding, CreateBase(spec.Encoding), kept);
    }

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<int> baseIds = _bpe.EncodeToIds(text);
        var ids = new int[baseIds.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = _modelIdByBaseId.TryGetValue(baseIds[i], out int id) ? id : UnknownId;
        }
        return ids;
    }

    /// <summary>Decodes model ids; unknown ids become U+FFFD and end-of-text ids are dropped.</summary>
    public string Decode(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (int id in tokenIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, VocabularySize);
            if (id >= FirstKeptId)
            {
                run.Add(_baseIdByModelId[id]);
                continue;
            }
            Flush();
            if (id == UnknownId)
            {
                text.Append('\uFFFD');
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(_bpe.Decode(run));
                run.Clear();
            }
        }
    }

    public TokenizerSpec ToSpec() => new("tiktoken", Id, Encoding, _baseIdByModelId[FirstKeptId..]);

    private static MlTiktoken CreateBase(string encoding)
    {
        if (!KnownEncodings.Contains(encoding, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown tiktoken encoding '{encoding}' (known: {string.Join(", ", KnownEncodings)})", nameof(encoding));
        }
        return MlTiktoken.CreateForEncoding(encoding);
    }

    private static string VocabularyHash(int[] keptBaseIds)
    {
        byte[] bytes = new byte[keptBaseIds.Length * sizeof(int)];
        Buffer.BlockCopy(keptBaseIds, 0, bytes, 0, bytes.Length);
        return Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
    }
}
