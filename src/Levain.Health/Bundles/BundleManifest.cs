namespace Levain.Health.Bundles;

/// <summary>The optional <c>manifest.json</c> of a bundle.</summary>
public sealed record BundleManifest(
    string Host,
    DateTimeOffset CapturedAt,
    string? Profile,
    IReadOnlyList<string> Services,
    IReadOnlyList<CommandRecord> Commands);
