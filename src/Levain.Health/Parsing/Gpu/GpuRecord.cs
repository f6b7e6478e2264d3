namespace Levain.Health.Parsing.Gpu;

/// <summary>
/// One GPU from <c>nvidia-smi -q -x</c>. Every field the tool may print as "N/A" (or omit on some generations) is
/// nullable; null means "not reported", never zero.
/// </summary>
public sealed record GpuRecord
{
    public required int Index { get; init; }
    public required string BusId { get; init; }
    public string? ProductName { get; init; }
    public string? Uuid { get; init; }
    public string? Serial { get; init; }
    public string? VbiosVersion { get; init; }
    public string? InforomImage { get; init; }
    public string? EccModeCurrent { get; init; }
    public string? EccModePending { get; init; }
    public long? VolatileCorrectable { get; init; }
    public long? VolatileUncorrectable { get; init; }
    public int? RetiredPagesSingleBit { get; init; }
    public int? RetiredPagesDoubleBit { get; init; }
    public bool? RetiredPagesPending { get; init; }
    public int? RemappedRowsUncorrectable { get; init; }
    public bool? RemappedRowsPending { get; init; }
    public bool? RemappedRowsFailure { get; init; }
    /// <summary>Clock event (throttle) reasons reported "Active", without the element prefix: "gpu_idle", "hw_slowdown".</summary>
    public IReadOnlyList<string> ActiveClockEventReasons { get; init; } = [];
    /// <summary>False when the XML had no clock event/throttle reasons block at all.</summary>
    public bool HasClockEventReasons { get; init; }
    public int? PcieGenCurrent { get; init; }
    public int? PcieGenMax { get; init; }
    public int? PcieWidthCurrent { get; init; }
    public int? PcieWidthMax { get; init; }
    public double? UtilizationPercent { get; init; }
    public double? TemperatureC { get; init; }
    public double? SlowdownTemperatureC { get; init; }
    public double? ShutdownTemperatureC { get; init; }
    public double? PowerDrawW { get; init; }
    public double? PowerLimitW { get; init; }
    public string? FabricState { get; init; }
    public string? FabricStatus { get; init; }

    /// <summary>"gpu3 (00000000:9A:00.0)".</summary>
    public string Subject => $"gpu{Index} ({BusId})";
}
