using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// The safetensors format, written and read here: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (per tensor: dtype, shape and [begin, end) byte offsets into the data; optional "__metadata__" of strings),
/// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes, in header order, back to back.
/// Only float32 tensors are written (the trainer's dtype); F32 and I64 are read.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Writes the tensors in the given order; each must be float32 on the CPU.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                meta[key] = value;
            }
            header["__metadata__"] = meta;
        }
        var payloads = new List<float[]>(tensors.Count);
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.dtype != ScalarType.Float32)
            {
                throw new ArgumentException($"tensor '{name}' is {tensor.dtype}; only float32 is written", nameof(tensors));
            }
            float[] values = tensor.detach().cpu().contiguous().data<float>().ToArray();
            long bytes = (long)values.Length * sizeof(float);
            var shape = new JsonArray();
            foreach (long dim in tensor.shape)
            {
                shape.Add(dim);
            }
            header[name] = new JsonObject { ["dtype"] = "F32", ["shape"] = shape, ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            payloads.Add(values);
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
        {
            stream.WriteByte((byte)' ');
        }
        foreach (float[] values in payloads)
        {
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
            }
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }

    /// <summary>Reads every tensor (CPU); throws <see cref="InvalidDataException"/> for a malformed file.</summary>
    public static SafeTensorsContent Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 8)
        {
            throw new InvalidDataException($"{path}: too short for a safetensors file");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, file.Length - 8))
        {
            throw new InvalidDataException($"{path}: header length {headerLength} is out of range");
        }
        int dataStart = 8 + (int)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength))?.AsObject()
                ?? throw new InvalidDataException($"{path}: empty header");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: header is not valid JSON ({e.Message})", e);
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node!.AsObject())
                {
                    metadata[key] = value!.GetValue<string>();
                }
                continue;
            }
            tensors.Add(new(name, ReadTensor(path, file, dataStart, name, node!.AsObject())));
        }
        return new SafeTensorsContent(tensors, metadata);
    }

    private static Tensor ReadTensor(string path, byte[] file, int dataStart, string name, JsonObject entry)
    {
        string dtype = entry["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: '{name}' has no dtype");
        long[] shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
            ?? throw new InvalidDataException($"{path}: '{name}' has no shape");
        long[] offsets = entry["data_offsets"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
            ?? throw new InvalidDataException($"{path}: '{name}' has no data_offsets");
        long elements = shape.Aggregate(1L, (a, d) => a * d);
        int elementSize = dtype switch
        {
            "F32" => 4,
            "I64" => 8,
            _ => throw new InvalidDataException($"{path}: '{name}' has dtype {dtype}; only F32 and I64 are read"),
        };
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != elements * elementSize || dataStart + offsets[1] > file.Length)
        {
            throw new InvalidDataException($"{path}: '{name}' has data_offsets [{string.Join(", ", offsets)}] that do not fit its shape or the file");
        }
        var bytes = file.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
        return dtype == "F32"
            ? tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray(), shape)
            : tensor(MemoryMarshal.Cast<byte, long>(bytes).ToArray(), shape);
    }
}
