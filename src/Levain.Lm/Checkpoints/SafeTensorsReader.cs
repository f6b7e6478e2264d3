using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// A safetensors file opened for reading: the header is parsed and checked up front (every tensor's offsets inside the
/// data section, its byte length equal to its shape × element size), the data is memory-mapped and each tensor is read
/// on request, so a multi-gigabyte file costs one tensor of memory at a time. 64-bit offsets throughout (no 2 GB limit).
/// Floating-point tensors (F32, F16, BF16, F64) are returned as float32 — the model's dtype; integer tensors (I64, I32,
/// I16, I8, U8, BOOL) as int64.
/// </summary>
public sealed class SafeTensorsReader : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private const int ChunkElements = 1 << 20;

    private readonly string _path;
    private readonly MemoryMappedFile? _map;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorsEntry> _byName;

    private SafeTensorsReader(string path, MemoryMappedFile? map, long dataStart, IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        _path = path;
        _map = map;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafeTensorsEntry Entry(string name) =>
        _byName.TryGetValue(name, out SafeTensorsEntry? entry) ? entry : throw new KeyNotFoundException($"{_path}: no tensor '{name}'");

    /// <summary>Opens and validates <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file and tensor.</summary>
    public static SafeTensorsReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: not found", path);
        }
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
        {
            throw new InvalidDataException($"{path}: too short for a safetensors file ({fileLength} bytes)");
        }
        byte[] headerBytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> length = stackalloc byte[8];
            stream.ReadExactly(length);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
            if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            {
                throw new InvalidDataException($"{path}: header length {headerLength} is out of range (file has {fileLength} bytes)");
            }
            headerBytes = new byte[headerLength];
            stream.ReadExactly(headerBytes);
        }
        long dataStart = 8 + headerBytes.LongLength;
        long dataLength = fileLength - dataStart;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new InvalidDataException($"{path}: empty header");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: header is not a JSON object ({e.Message})", e);
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<SafeTensorsEntry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject meta)
                {
                    foreach (var (key, value) in meta)
                    {
                        metadata[key] = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
                    }
                }
                continue;
            }
            entries.Add(ParseEntry(path, name, node, dataLength));
        }
        MemoryMappedFile? map = dataLength > 0
            ? MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read)
            : null;
        return new SafeTensorsReader(path, map, dataStart, entries, metadata);
    }

    /// <summary>Reads one tensor onto the CPU (float32 for floating dtypes, int64 for integer ones).</summary>
    public Tensor ReadTensor(string name)
    {
        SafeTensorsEntry entry = Entry(name);
        long elements = entry.ElementCount;
        if (elements > Array.MaxLength)
        {
            throw new InvalidDataException($"{_path}: '{name}' has {elements} elements; at most {Array.MaxLength} per tensor are read");
        }
        bool isFloat = entry.DType is "F32" or "F16" or "BF16" or "F64";
        if (elements == 0 || _map is null)
        {
            return zeros(entry.ShapeArray, isFloat ? ScalarType.Float32 : ScalarType.Int64);
        }
        using var view = _map.CreateViewAccessor(_dataStart + entry.Begin, entry.End - entry.Begin, MemoryMappedFileAccess.Read);
        if (isFloat)
        {
            var values = new float[elements];
            ReadFloats(view, entry.DType, values);
            return tensor(values, entry.ShapeArray);
        }
        var longs = new long[elements];
        ReadIntegers(view, entry.DType, longs);
        return tensor(longs, entry.ShapeArray);
    }

    private static void ReadFloats(MemoryMappedViewAccessor view, string dtype, float[] values)
    {
        switch (dtype)
        {
            case "F32":
                view.ReadArray(0, values, 0, values.Length);
                return;
            case "F64":
                Convert<double>(view, 8, values, d => (float)d);
                return;
            case "F16":
                Convert<ushort>(view, 2, values, bits => (float)BitConverter.UInt16BitsToHalf(bits));
                return;
            default: // BF16: the upper half of a float32
                Convert<ushort>(view, 2, values, bits => BitConverter.Int32BitsToSingle(bits << 16));
                return;
        }
    }

    private static void ReadIntegers(MemoryMappedViewAccessor view, string dtype, long[] values)
    {
        switch (dtype)
        {
            case "I64":
                view.ReadArray(0, values, 0, values.Length);
                return;
            case "I32":
                Convert<int>(view, 4, values, v => v);
                return;
            case "I16":
                Convert<short>(view, 2, values, v => v);
                return;
            case "I8":
                Convert<sbyte>(view, 1, values, v => v);
                return;
            default: // U8, BOOL
                Convert<byte>(view, 1, values, v => v);
                return;
        }
    }

    // Reads in chunks so a conversion never holds a second full-size copy.
    private static void Convert<TSource, TTarget>(MemoryMappedViewAccessor view, int size, TTarget[] target, Func<TSource, TTarget> convert)
        where TSource : struct
    {
        var chunk = new TSource[Math.Min(ChunkElements, target.Length)];
        for (long start = 0; start < target.LongLength; start += chunk.Length)
        {
            int count = (int)Math.Min(chunk.Length, target.LongLength - start);
            view.ReadArray(start * size, chunk, 0, count);
            for (int i = 0; i < count; i++)
            {
                target[start + i] = convert(chunk[i]);
            }
        }
    }

    private static void Convert<TSource>(MemoryMappedViewAccessor view, int size, float[] target, Func<TSource, float> convert) where TSource : struct =>
        Convert<TSource, float>(view, size, target, convert);

    private static void Convert<TSource>(MemoryMappedViewAccessor view, int size, long[] target, Func<TSource, long> convert) where TSource : struct =>
        Convert<TSource, long>(view, size, target, convert);

    private static SafeTensorsEntry ParseEntry(string path, string name, JsonNode? node, long dataLength)
    {
        if (node is not JsonObject entry)
        {
            throw new InvalidDataException($"{path}: tensor '{name}': expected an object with dtype, shape and data_offsets");
        }
        string dtype;
        long[] shape, offsets;
        try
        {
            dtype = entry["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: tensor '{name}': field 'dtype' is missing");
            shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
                ?? throw new InvalidDataException($"{path}: tensor '{name}': field 'shape' is missing");
            offsets = entry["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
                ?? throw new InvalidDataException($"{path}: tensor '{name}': field 'data_offsets' is missing");
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}': dtype, shape or data_offsets has the wrong type", e);
        }
        int elementSize = dtype switch
        {
            "F64" or "I64" => 8,
            "F32" or "I32" => 4,
            "F16" or "BF16" or "I16" => 2,
            "I8" or "U8" or "BOOL" => 1,
            _ => throw new InvalidDataException($"{path}: tensor '{name}': field 'dtype': {dtype} is not read (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL are)"),
        };
        if (shape.Any(d => d < 0))
        {
            throw new InvalidDataException($"{path}: tensor '{name}': field 'shape' has a negative dimension");
        }
        long elements = shape.Aggregate(1L, (a, d) => checked(a * d));
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] - offsets[0] != elements * elementSize || offsets[1] > dataLength)
        {
            throw new InvalidDataException($"{path}: tensor '{name}': field 'data_offsets' [{string.Join(", ", offsets)}] does not fit its shape [{string.Join(", ", shape)}] {dtype} or the {dataLength}-byte data section");
        }
        return new SafeTensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    public void Dispose() => _map?.Dispose();
}
