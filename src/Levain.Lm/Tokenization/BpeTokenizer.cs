using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Levain.Lm.Tokenization;

/// <summary>
/// Byte-level BPE: text is split into pieces by a regular expression (<see cref="PreTokenizerPatterns"/>), each
/// piece's UTF-8 bytes start as one token per byte, and adjacent tokens merge while their concatenation is a token,
/// lowest id first (tiktoken's rule: a token's id is its rank). Every byte value is a token, so any input encodes with
/// no unknown id and decodes back to the same bytes. Special tokens (end-of-text, chat markers) follow the regular
/// ones; their text is recognised in input and written back on decoding.
/// </summary>
public sealed class BpeTokenizer : ITextTokenizer
{
    public const string Kind = "bpe";
    public const string DefaultEndOfText = "<|endoftext|>";
    private const int CacheLimit = 100_000;

    private readonly byte[][] _tokens;
    private readonly int[] _idByByte = new int[256];
    private readonly Dictionary<long, int> _mergedIdByPair = [];
    private readonly Dictionary<string, int> _specialIdByText;
    private readonly string[] _specialTextById;
    private readonly Regex _pieces;
    private readonly Regex? _specials;
    private readonly ThreadLocal<Dictionary<string, int[]>> _cache = new(() => new Dictionary<string, int[]>(StringComparer.Ordinal));

    /// <param name="tokens">The bytes of every regular token, by id; all 256 single bytes must be among them.</param>
    /// <param name="specialTokens">Special token texts; they take the ids after the regular tokens, in this order.</param>
    /// <param name="pattern">Pre-tokenizer pattern text (see <see cref="PreTokenizerPatterns.Resolve"/>).</param>
    /// <param name="endOfText">The special token that separates documents (must be one of <paramref name="specialTokens"/>).</param>
    public BpeTokenizer(IReadOnlyList<byte[]> tokens, IReadOnlyList<string> specialTokens, string pattern, string endOfText = DefaultEndOfText)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(specialTokens);
        ArgumentNullException.ThrowIfNull(pattern);
        _tokens = [.. tokens];
        Pattern = pattern;
        _pieces = PreTokenizerPatterns.Compile(pattern);
        Array.Fill(_idByByte, -1);
        var idByBytes = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            byte[] token = _tokens[id] ?? throw new ArgumentException($"token {id} is null", nameof(tokens));
            if (token.Length == 0)
            {
                throw new ArgumentException($"token {id} is empty", nameof(tokens));
            }
            if (!idByBytes.TryAdd(Convert.ToBase64String(token), id))
            {
                throw new ArgumentException($"token {id} repeats token {idByBytes[Convert.ToBase64String(token)]}", nameof(tokens));
            }
            if (token.Length == 1)
            {
                _idByByte[token[0]] = id;
            }
        }
        int missing = Array.IndexOf(_idByByte, -1);
        if (missing >= 0)
        {
            throw new ArgumentException($"byte 0x{missing:X2} has no token: byte-level BPE needs all 256 bytes", nameof(tokens));
        }
        // tiktoken's merge rule as a pair table: every split of a token into two tokens merges into it, ranked by its id.
        for (int id = 0; id < _tokens.Length; id++)
        {
            byte[] token = _tokens[id];
            for (int cut = 1; cut < token.Length; cut++)
            {
                if (idByBytes.TryGetValue(Convert.ToBase64String(token, 0, cut), out int left)
                    && idByBytes.TryGetValue(Convert.ToBase64String(token, cut, token.Length - cut), out int right))
                {
                    _mergedIdByPair.TryAdd(PairKey(left, right), id);
                }
            }
        }
        _specialTextById = [.. specialTokens];
        _specialIdByText = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _specialTextById.Length; i++)
        {
            if (string.IsNullOrEmpty(_specialTextById[i]) || !_specialIdByText.TryAdd(_specialTextById[i], _tokens.Length + i))
            {
                throw new ArgumentException($"special token '{_specialTextById[i]}' is empty or repeated", nameof(specialTokens));
            }
        }
        if (!_specialIdByText.TryGetValue(endOfText, out int endOfTextId))
        {
            throw new ArgumentException($"the end-of-text token '{endOfText}' is not among the special tokens", nameof(endOfText));
        }
        EndOfTextId = endOfTextId;
        EndOfTextToken = endOfText;
        _specials = _specialTextById.Length == 0 ? null
            : new Regex(string.Join('|', _specialTextById.OrderByDescending(s => s.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        Id = $"{Kind}:{ContentHash()}";
    }

    public string Id { get; }

    public int VocabularySize => _tokens.Length + _specialTextById.Length;

    /// <summary>Regular (non-special) tokens: ids [0, RegularCount).</summary>
    public int RegularCount => _tokens.Length;

    public int EndOfTextId { get; }

    public string EndOfTextToken { get; }

    public string Pattern { get; }

    public IReadOnlyList<string> SpecialTokens => _specialTextById;

    /// <summary>The bytes of a regular token.</summary>
    public ReadOnlySpan<byte> TokenBytes(int id) => _tokens[id];

    /// <summary>The id of a special token text, or null.</summary>
    public int? SpecialId(string text) => _specialIdByText.TryGetValue(text, out int id) ? id : null;

    public bool IsSpecial(int id) => id >= _tokens.Length;

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        EncodeText(text, ids);
        return ids;
    }

    /// <summary>Encodes arbitrary bytes: valid UTF-8 runs as text, every other byte as its byte token (lossless).</summary>
    public IReadOnlyList<int> EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var ids = new List<int>(bytes.Length / 3 + 4);
        while (!bytes.IsEmpty)
        {
            int valid = ValidUtf8Prefix(bytes);
            if (valid > 0)
            {
                EncodeText(Encoding.UTF8.GetString(bytes[..valid]), ids);
                bytes = bytes[valid..];
                continue;
            }
            ids.Add(_idByByte[bytes[0]]);
            bytes = bytes[1..];
        }
        return ids;
    }

    /// <summary>Decodes to text; byte sequences that are not UTF-8 become U+FFFD (use <see cref="DecodeBytes"/> to keep them).</summary>
    public string Decode(IEnumerable<int> tokenIds) => Encoding.UTF8.GetString(DecodeBytes(tokenIds));

    /// <summary>The exact bytes of the tokens; special tokens as their UTF-8 text.</summary>
    public byte[] DecodeBytes(IEnumerable<int> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        var bytes = new List<byte>();
        foreach (int id in tokenIds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, VocabularySize);
            bytes.AddRange(id < _tokens.Length ? _tokens[id] : Encoding.UTF8.GetBytes(_specialTextById[id - _tokens.Length]));
        }
        return [.. bytes];
    }

    public TokenizerSpec ToSpec() => new(Kind, Id)
    {
        Pattern = Pattern,
        Tokens = [.. _tokens.Select(t => Convert.ToBase64String(t))],
        SpecialTokens = _specialTextById,
        EndOfText = EndOfTextToken,
    };

    /// <summary>Rebuilds the tokenizer a checkpoint or manifest describes.</summary>
    public static BpeTokenizer FromSpec(TokenizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Pattern is null || spec.Tokens is null || spec.SpecialTokens is null)
        {
            throw new ArgumentException("a bpe tokenizer spec needs 'pattern', 'tokens' and 'special_tokens'", nameof(spec));
        }
        var tokenizer = new BpeTokenizer([.. spec.Tokens.Select(Convert.FromBase64String)], spec.SpecialTokens, spec.Pattern, spec.EndOfText ?? DefaultEndOfText);
        if (tokenizer.Id != spec.Id)
        {
            throw new ArgumentException($"tokenizer content hashes to '{tokenizer.Id}', not the recorded '{spec.Id}'", nameof(spec));
        }
        return tokenizer;
    }

    internal static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    private void EncodeText(string text, List<int> ids)
    {
        if (_specials is null)
        {
            EncodeOrdinary(text, ids);
            return;
        }
        int at = 0;
        foreach (ValueMatch special in _specials.EnumerateMatches(text))
        {
            EncodeOrdinary(text.AsSpan(at, special.Index - at), ids);
            ids.Add(_specialIdByText[text.Substring(special.Index, special.Length)]);
            at = special.Index + special.Length;
        }
        EncodeOrdinary(text.AsSpan(at), ids);
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        Dictionary<string, int[]> cache = _cache.Value!;
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (ValueMatch match in _pieces.EnumerateMatches(text))
        {
            ReadOnlySpan<char> piece = text.Slice(match.Index, match.Length);
            if (!lookup.TryGetValue(piece, out int[]? pieceIds))
            {
                pieceIds = MergePiece(piece);
                if (cache.Count >= CacheLimit)
                {
                    cache.Clear();
                }
                lookup[piece] = pieceIds;
            }
            ids.AddRange(pieceIds);
        }
    }

    /// <summary>Starts from one token per byte and merges the lowest-ranked adjacent pair until none is a token.</summary>
    private int[] MergePiece(ReadOnlySpan<char> piece)
    {
        int byteCount = Encoding.UTF8.GetByteCount(piece);
        Span<byte> bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(piece, bytes);
        var parts = new List<int>(byteCount);
        foreach (byte b in bytes)
        {
            parts.Add(_idByByte[b]);
        }
        while (parts.Count > 1)
        {
            int best = int.MaxValue, at = -1;
            for (int i = 0; i + 1 < parts.Count; i++)
            {
                if (_mergedIdByPair.TryGetValue(PairKey(parts[i], parts[i + 1]), out int merged) && merged < best)
                {
                    best = merged;
                    at = i;
                }
            }
            if (at < 0)
            {
                break;
            }
            parts[at] = best;
            parts.RemoveAt(at + 1);
        }
        return [.. parts];
    }

    private static int ValidUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }
        return at;
    }

    private string ContentHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Pattern + "\n" + string.Join("\n", _specialTextById) + "\n" + EndOfTextToken + "\n"));
        foreach (byte[] token in _tokens)
        {
            hash.AppendData(BitConverter.GetBytes(token.Length));
            hash.AppendData(token);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
