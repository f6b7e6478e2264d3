using System.Buffers.Binary;
using System.Text;
using Levain.Lm.Checkpoints;
using static TorchSharp.torch;

namespace Levain.Lm.Tests.Checkpoints;

public sealed class SafeTensorsReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"levain-st-{Guid.NewGuid():N}.safetensors");

    [Fact]
    public void Read_HalfPrecisionAndIntegerDtypes_ConvertExactly()
    {
        // 1.5 and -2.25 are exact in F16 and BF16; 3 / 65504 is F16's largest finite value.
        byte[] f16 = [.. Bits(BitConverter.HalfToUInt16Bits((Half)1.5)), .. Bits(BitConverter.HalfToUInt16Bits((Half)(-2.25))), .. Bits(0x7BFF)];
        byte[] bf16 = [.. Bits((ushort)(BitConverter.SingleToInt32Bits(1.5f) >> 16)), .. Bits((ushort)(BitConverter.SingleToInt32Bits(-2.25f) >> 16))];
        byte[] i32 = [.. BitConverter.GetBytes(-7), .. BitConverter.GetBytes(123456)];
        WriteFile(("a", "F16", [3], f16), ("b", "BF16", [2, 1], bf16), ("c", "I32", [2], i32));
        using var reader = SafeTensorsReader.Open(_path);
        Assert.Equal(["a", "b", "c"], reader.Entries.Select(e => e.Name));
        using Tensor a = reader.ReadTensor("a");
        using Tensor b = reader.ReadTensor("b");
        using Tensor c = reader.ReadTensor("c");
        Assert.Equal([1.5f, -2.25f, 65504f], a.data<float>().ToArray());
        Assert.Equal(new long[] { 2, 1 }, b.shape);
        Assert.Equal([1.5f, -2.25f], b.data<float>().ToArray());
        Assert.Equal([-7L, 123456L], c.data<long>().ToArray());
    }

    [Theory]
    [InlineData("F8_E4M3", "field 'dtype'")]
    [InlineData("F32", "field 'data_offsets'")]
    public void Open_MalformedEntry_NamesFileTensorAndField(string dtype, string field)
    {
        WriteFile(("w", dtype, [4], new byte[8])); // 8 bytes cannot hold 4 float32 values
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsReader.Open(_path));
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderLengthBeyondFile_Throws()
    {
        File.WriteAllBytes(_path, [.. BitConverter.GetBytes(1_000_000UL), .. "{}"u8]);
        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsReader.Open(_path));
        Assert.Contains("header length", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Bits(ushort value) => BitConverter.GetBytes(value);

    private void WriteFile(params (string Name, string DType, long[] Shape, byte[] Data)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            header.Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}},");
            offset += data.Length;
        }
        header.Length--;
        header.Append('}');
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        var file = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        long at = 8 + json.Length;
        foreach (var (_, _, _, data) in tensors)
        {
            data.CopyTo(file, at);
            at += data.Length;
        }
        File.WriteAllBytes(_path, file);
    }

    public void Dispose() => File.Delete(_path);
}
