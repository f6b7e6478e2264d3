namespace Levain.Health.Results;

/// <summary>Stable kebab-case identifiers for <see cref="Remediation"/> (used in JSON and policy files).</summary>
public static class RemediationNames
{
    private static readonly Dictionary<Remediation, string> ToName = new()
    {
        [Remediation.None] = "none",
        [Remediation.CheckApplication] = "check-application",
        [Remediation.ResetGpu] = "reset-gpu",
        [Remediation.Reboot] = "reboot",
        [Remediation.ReseatCable] = "reseat-cable",
        [Remediation.Drain] = "drain",
        [Remediation.Rma] = "rma",
        [Remediation.UpdateFirmware] = "update-firmware",
        [Remediation.FreeDisk] = "free-disk",
        [Remediation.DisableSwap] = "disable-swap",
        [Remediation.StartService] = "start-service",
        [Remediation.LoadModule] = "load-module",
        [Remediation.Investigate] = "investigate",
        [Remediation.FixCollection] = "fix-collection",
    };

    private static readonly Dictionary<string, Remediation> FromName =
        ToName.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    public static string Name(Remediation remediation) => ToName[remediation];

    public static bool TryParse(string name, out Remediation remediation) => FromName.TryGetValue(name, out remediation);

    public static IReadOnlyCollection<string> All => ToName.Values;
}
