using System.Security.Cryptography;
using System.Text;
using Levain.Lm.Tokenization;

namespace Levain.Lm.Data;

/// <summary>
/// <c>levain data prepare</c>: reads each named source's files, tokenizes every document, appends it (with end-of-text)
/// to the source's train or validation shards — chosen by a hash of the document's text, so the same document always
/// lands in the same split whatever the order or the other inputs — and writes the manifest last (a directory without
/// one is an unfinished preparation). Memory stays at one document plus write buffers.
/// </summary>
public static class DataPreparer
{
    public static DataManifest Prepare(IReadOnlyList<DataSourceSpec> sources, ITextTokenizer tokenizer, string outputDirectory, DataPrepareOptions options,
        IProgress<DataPrepareProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        if (sources.Count == 0 || sources.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != sources.Count)
        {
            throw new ArgumentException("give at least one source; source names must be unique", nameof(sources));
        }
        var files = sources.ToDictionary(s => s.Name, s => CorpusFiles.Expand(s.Inputs), StringComparer.Ordinal); // all paths checked before writing
        Directory.CreateDirectory(outputDirectory);
        string dtype = DataManifest.DTypeFor(tokenizer.VocabularySize);
        int width = dtype == "uint16" ? 2 : 4;
        var prepared = new List<DataSource>();
        foreach (DataSourceSpec source in sources)
        {
            using var train = new ShardWriter(outputDirectory, $"{source.Name}.train", width, options.ShardTokens);
            using var validation = new ShardWriter(outputDirectory, $"{source.Name}.val", width, options.ShardTokens);
            long documents = 0, tokens = 0;
            foreach (string file in files[source.Name])
            {
                foreach (string document in DocumentReader.Read(file, options.Split, options.IsTroff || options.TroffSources.Contains(source.Name)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    IReadOnlyList<int> ids = tokenizer.Encode(document);
                    (IsValidation(document, options.ValidationFraction) ? validation : train).Add(ids, tokenizer.EndOfTextId);
                    documents++;
                    tokens += ids.Count + 1;
                    if (documents % 1000 == 0) progress?.Report(new DataPrepareProgress(source.Name, file, documents, tokens));
                }
                progress?.Report(new DataPrepareProgress(source.Name, file, documents, tokens));
            }
            prepared.Add(new DataSource(source.Name, [.. source.Inputs.Select(Path.GetFullPath)], train.Finish(), validation.Finish()));
        }
        var manifest = new DataManifest { Tokenizer = tokenizer.ToSpec(), DType = dtype, ValidationFraction = options.ValidationFraction, Sources = prepared };
        manifest.Save(outputDirectory);
        return manifest;
    }

    /// <summary>The first 8 bytes of SHA-256 of the text, as a fraction of 2^64, below the validation fraction.</summary>
    public static bool IsValidation(string document, double fraction)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(document), hash);
        return BitConverter.ToUInt64(hash) / 18446744073709551616.0 < fraction;
    }
}
