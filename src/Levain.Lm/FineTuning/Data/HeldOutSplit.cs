using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Levain.Lm.FineTuning.Data;

/// <summary>
/// Splits examples by a hash of their <see cref="FineTuneExample.Group"/>: an example is held out when the first 8
/// bytes of SHA-256(group), as a fraction of 2⁶⁴, fall below the held-out fraction. Deterministic, independent of
/// order and file, and examples that share a group (one program asked several ways) land on the same side.
/// </summary>
public static class HeldOutSplit
{
    public static bool IsHeldOut(string group, double fraction)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        ulong head = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(group)));
        return head / 18446744073709551616.0 < fraction;
    }

    public static (IReadOnlyList<FineTuneExample> Train, IReadOnlyList<FineTuneExample> HeldOut) Split(IReadOnlyList<FineTuneExample> examples, double fraction)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var train = new List<FineTuneExample>();
        var heldOut = new List<FineTuneExample>();
        foreach (var example in examples)
        {
            (IsHeldOut(example.Group, fraction) ? heldOut : train).Add(example);
        }
        return (train, heldOut);
    }
}
