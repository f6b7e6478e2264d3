using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Levain.Lm.Checkpoints;

/// <summary>
/// The safetensors format, written and read here: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (per tensor: dtype, shape and [begin, end) byte offsets into the data; optional "__metadata__" of strings),
/// padded with spaces to a multiple of 8, then the raw little-endian tensor bytes, in header order, back to back.
/// Float32 and int64 tensors are written (atomically: a temporary file renamed over the target); reading goes through
/// <see cref="SafeTensorsReader"/> (memory-mapped, 64-bit offsets, F32/F16/BF16/F64 and integer dtypes).
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>Writes the tensors in the given order (float32 or int64, any device) atomically.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        }
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
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            string dtype = tensor.dtype switch
            {
                ScalarType.Float32 => "F32",
                ScalarType.Int64 => "I64",
                _ => throw new ArgumentException($"tensor '{name}' is {tensor.dtype}; only float32 and int64 are written", nameof(tensors)),
            };
            long bytes = tensor.numel() * tensor.ElementSize;
            var shape = new JsonArray();
            foreach (long dim in tensor.shape)
            {
                shape.Add(dim);
            }
            header[name] = new JsonObject { ["dtype"] = dtype, ["shape"] = shape, ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++)
            {
                stream.WriteByte((byte)' ');
            }
            foreach (var (_, tensor) in tensors)
            {
                using Tensor cpu = tensor.detach().cpu().contiguous();
                if (cpu.dtype == ScalarType.Float32)
                {
                    WriteChunks(stream, cpu.data<float>().ToArray());
                }
                else
                {
                    WriteChunks(stream, cpu.data<long>().ToArray());
                }
            }
        });
    }

    /// <summary>Reads every tensor (CPU, float types as float32); throws <see cref="InvalidDataException"/> for a malformed file.</summary>
    public static SafeTensorsContent Read(string path)
    {
        using var reader = SafeTensorsReader.Open(path);
        var tensors = new List<KeyValuePair<string, Tensor>>(reader.Entries.Count);
        try
        {
            foreach (SafeTensorsEntry entry in reader.Entries)
            {
                tensors.Add(new(entry.Name, reader.ReadTensor(entry.Name)));
            }
        }
        catch
        {
            foreach (var (_, tensor) in tensors)
            {
                tensor.Dispose();
            }
            throw;
        }
        return new SafeTensorsContent(tensors, reader.Metadata);
    }

    private static void WriteChunks<T>(Stream stream, T[] values) where T : unmanaged
    {
        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
