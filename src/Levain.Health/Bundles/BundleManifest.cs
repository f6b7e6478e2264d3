namespace Levain.Health.Bundles;

/// <summary>
/// The optional <c>manifest.json</c> of a bundle (documented in docs/health.md). <see cref="FormatVersion"/> is 2 for
/// the snake_case form Levain writes and 1 for the camelCase form of earlier versions.
/// </summary>
public sealed record BundleManifest(
    string Host,
    DateTimeOffset CapturedAt,
    string? Profile,
    IReadOnlyList<string> Services,
    IReadOnlyList<CommandRecord> Commands)
{
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
}
