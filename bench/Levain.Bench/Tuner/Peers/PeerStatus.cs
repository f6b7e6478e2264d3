namespace Levain.Bench.Tuner.Peers;

/// <summary>Whether a peer could be started, and either its versions or why not.</summary>
public sealed record PeerStatus(bool IsAvailable, string Description, string? PythonVersion = null, string? PeerVersion = null);
