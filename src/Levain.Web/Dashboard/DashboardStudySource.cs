namespace Levain.Web.Dashboard;

/// <summary>
/// Where the dashboard finds studies: a storage location (<c>sqlite:…</c>, <c>postgres://…</c>) resolved against
/// <see cref="BaseDirectory"/>, optionally one study of it, and the folder holding its trial logs
/// (<c>trial-N.log</c>) when a study file named it.
/// </summary>
public sealed record DashboardStudySource(string Storage, string BaseDirectory, string? StudyName = null, string? LogDirectory = null);
