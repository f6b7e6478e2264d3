namespace Levain.Health.Parsing.Nvlink;

/// <summary>One counter from <c>nvidia-smi nvlink -e</c>: "Replay Errors", "Recovery Errors", "CRC Errors".</summary>
public sealed record NvlinkErrorCounter(int Gpu, int Link, string Counter, long Value, string Raw);
