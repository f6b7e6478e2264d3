namespace Levain.Health.Parsing.Host;

/// <summary>One row of <c>swapon --show</c>.</summary>
public sealed record SwapDevice(string Name, string Type, string Size, string Used, string Raw);
