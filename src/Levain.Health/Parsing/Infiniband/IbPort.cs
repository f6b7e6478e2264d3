namespace Levain.Health.Parsing.Infiniband;

/// <summary>One InfiniBand port (from <c>ibstat</c> or sysfs). Null fields were not reported.</summary>
public sealed record IbPort
{
    public required string Ca { get; init; }
    public required int Port { get; init; }
    public string? State { get; init; }
    public string? PhysicalState { get; init; }
    public double? RateGbps { get; init; }
    public string? LinkLayer { get; init; }
    public string? Firmware { get; init; }
    public string? CaType { get; init; }
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    /// <summary>"mlx5_0/1".</summary>
    public string Subject => $"{Ca}/{Port}";
}
