using System.Security.Cryptography;
using System.Text;
using MlTiktoken = Microsoft.ML.Tokenizers.TiktokenTokenizer;

namespace Levain.Lm.Tokenization;

/// <summary>
/// GPT-style BPE (cl100k_base or o200k_base, from the Microsoft.ML.Tokenizers data packages) with a compact
/// vocabulary: only the base ids seen when the tokenizer was fitted get model ids, so a small model trained on a
/// user's text does not carry a 100k-row embedding. Model ids 0–255 are single bytes, 256 is end-of-text and 257.. are
/// the kept base ids in ascending order; a base token the vocabulary did not keep is written as its bytes, so every
/// text round-trips (byte fallback). Checkpoints written before byte fallback (no <c>byte_fallback</c> in their spec)
/// load with their old layout: id 0 "unknown" (decoded as U+FFFD), 1 end-of-text, 2.. kept base ids.
/// </summary>
public sealed class TiktokenTokenizer : ITextTokenizer
{
    public const int EndOfText = 256;
    private const int FirstKeptId = 257;
    private const int LegacyUnknownId = 0;
    private const int LegacyEndOfText = 1;
    private const int LegacyFirstKeptId = 2;

    private static readonly string[] KnownEncodings = ["cl100k_base", "o200k_base"];

    private readonly MlTiktoken _bpe;
    private readonly int[] _baseIdByModelId;
    private readonly Dictionary<int, int> _modelIdByBaseId;
    private readonly int _firstKeptId;
    private readonly Lazy<Dictionary<int, byte[]>> _baseTokenBytes;

    private TiktokenTokenizer(string encoding, MlTiktoken bpe, int[] keptBaseIds, bool hasByteFallback)
    {
        Encoding = encoding;
        _bpe = bpe;
        _baseTokenBytes = new Lazy<Dictionary<int, byte[]>>(() => ReadBaseTokenBytes(encoding));
        HasByteFallback = hasByteFallback;
        _firstKeptId = hasByteFallback ? FirstKeptId : LegacyFirstKeptId;
        EndOfTextId = hasByteFallback ? EndOfText : LegacyEndOfText;
        _baseIdByModelId = new int[keptBaseIds.Length + _firstKeptId];
        Array.Fill(_baseIdByModelId, -1, 0, _firstKeptId);
        _modelIdByBaseId = new Dictionary<int, int>(keptBaseIds.Length);
        for (int i = 0; i < keptBaseIds.Length; i++)
        {
            _baseIdByModelId[i + _firstKeptId] = keptBaseIds[i];
            _modelIdByBaseId[keptBaseIds[i]] = i + _firstKeptId;
        }
        Id = $"{encoding}+compact{(hasByteFallback ? "+bytes" : "")}:{VocabularyHash(keptBaseIds)}";
    }

    /// <summary>Whether unkept base tokens are written as byte ids (every tokenizer fitted now; false only for old checkpoints).</summary>
    public bool HasByteFallback { get; }

    /// <summary>The tiktoken encoding name, e.g. "cl100k_base".</summary>
    public string Encoding { get; }

    public string Id { get; }

    public int VocabularySize => _baseIdByModelId.Length;

    public int EndOfTextId { get; }

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
        return new TiktokenTokenizer(encoding, bpe, kept, hasByteFallback: true);
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
        return new TiktokenTokenizer(spec.Encoding, CreateBase(spec.Encoding), kept, spec.ByteFallback);
    }

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<int> baseIds = _bpe.EncodeToIds(text);
        var ids = new List<int>(baseIds.Count);
        foreach (int baseId in baseIds)
        {
            if (_modelIdByBaseId.TryGetValue(baseId, out int id))
            {
                ids.Add(id);
            }
            else if (HasByteFallback)
            {
                foreach (byte b in BaseTokenBytes(baseId))
                {
                    ids.Add(b);
                }
            }
            else
            {
                ids.Add(LegacyUnknownId);
            }
        }
        return ids;
    }

    /// <summary>Decodes model ids through their bytes (a character split across tokens comes back whole); end-of-text ids are dropped.</summary>
    public string Decode(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var bytes = new List<byte>();
        var text = new StringBuilder();
        foreach (int id in tokenIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, VocabularySize);
            if (id >= _firstKeptId)
            {
                bytes.AddRange(BaseTokenBytes(_baseIdByModelId[id]));
            }
            else if (HasByteFallback && id < EndOfText)
            {
                bytes.Add((byte)id);
            }
            else if (!HasByteFallback && id == LegacyUnknownId)
            {
                Flush();
                text.Append('\uFFFD');
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            text.Append(System.Text.Encoding.UTF8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    public TokenizerSpec ToSpec() => new("tiktoken", Id, Encoding, _baseIdByModelId[_firstKeptId..]) { ByteFallback = HasByteFallback };

    private byte[] BaseTokenBytes(int baseId) => _baseTokenBytes.Value.TryGetValue(baseId, out byte[]? bytes)
        ? bytes
        : throw new InvalidOperationException($"{Encoding} has no token {baseId}");

    /// <summary>
    /// Base id → token bytes, from the ranks file the data package embeds (Microsoft.ML.Tokenizers 2.0 keeps its own
    /// table internal): deflated lines of base64 token bytes, optionally followed by the rank.
    /// </summary>
    private static Dictionary<int, byte[]> ReadBaseTokenBytes(string encoding)
    {
        string package = encoding == "cl100k_base" ? "Microsoft.ML.Tokenizers.Data.Cl100kBase" : "Microsoft.ML.Tokenizers.Data.O200kBase";
        using Stream resource = System.Reflection.Assembly.Load(package).GetManifestResourceStream($"{encoding}.tiktoken.deflate")
            ?? throw new InvalidOperationException($"{package} does not embed {encoding}.tiktoken.deflate");
        using var reader = new StreamReader(new System.IO.Compression.DeflateStream(resource, System.IO.Compression.CompressionMode.Decompress));
        var table = new Dictionary<int, byte[]>();
        int rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue; // the packaged file starts with a "Capacity: N" line; ranks are then implicit line numbers
            }
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                rank = int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            }
            table[rank++] = Convert.FromBase64String(space > 0 ? line[..space] : line);
        }
        return table;
    }

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
