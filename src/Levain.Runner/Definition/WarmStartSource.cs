namespace Levain.Runner.Definition;

/// <summary>
/// The study a warm start imports from: its storage (<c>sqlite:path</c> or <c>postgres://…</c>, relative paths
/// resolved against <see cref="BaseDirectory"/>) and name; <see cref="Description"/> says where it came from in
/// messages (the study file, or the storage and name).
/// </summary>
public sealed record WarmStartSource(string Storage, string Study, string BaseDirectory, string Description);
