using System.Text.Json.Nodes;
using Levain.Health.Remediations;

namespace Levain.Cli.Commands.Health;

/// <summary>JSON for a remediation plan and what applying it did.</summary>
internal static class RemediationJson
{
    public static JsonArray Plan(IReadOnlyList<RemediationAction> actions, IReadOnlyList<RemediationOutcome>? applied) =>
        new(actions.Select((a, i) => (JsonNode?)new JsonObject
        {
            ["action"] = a.Name,
            ["subject"] = a.Subject,
            ["reason"] = a.Reason,
            ["command"] = a.Command,
            ["applied"] = applied is not null && applied[i].IsApplied,
            ["result"] = applied is null ? "dry-run" : applied[i].Output,
            ["already_done_at"] = applied?[i].AlreadyDone?.LastAttemptAt.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["events"] = new JsonArray(a.Events.Select(e => (JsonNode?)e).ToArray()),
        }).ToArray());
}
