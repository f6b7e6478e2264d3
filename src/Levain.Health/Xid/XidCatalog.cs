using Levain.Health.Results;

namespace Levain.Health.Xid;

/// <summary>
/// Facts from NVIDIA's Xid catalog for Ampere and newer GPUs ("Analyzing Xid Errors with the Xid Catalog",
/// docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html): per code, the description and the
/// "Resolution Bucket (Immediate Action)". Codes the catalog marks "Unused" are left out (they would be unknown XIDs).
/// The policy (<see cref="XidPolicy.Default"/>) is derived from the bucket, not hand-picked per code.
/// </summary>
public static class XidCatalog
{
    /// <summary>The catalog revision these facts were taken from (codes 1-172 as published in October 2025).</summary>
    public const string Version = "NVIDIA Xid Catalog (analyzing-xid-catalog), revision of October 2025, codes 1-172";

    /// <summary>Code → (description, immediate-action bucket). An empty bucket: the catalog gives none yet.</summary>
    public static IReadOnlyDictionary<int, (string Description, string Bucket)> Entries { get; } = Build();

    private static Dictionary<int, (string, string)> Build()
    {
        var e = new Dictionary<int, (string, string)>
        {
            [8] = ("GPU stopped processing", "RESTART_APP"),
            [11] = ("invalid or corrupted push buffer stream", "RESTART_APP"),
            [13] = ("graphics engine exception", "RESTART_APP"),
            [25] = ("invalid or illegal push buffer stream", "RESTART_APP"),
            [31] = ("GPU memory page fault", "RESTART_APP"),
            [32] = ("invalid or corrupted push buffer stream", "RESTART_APP"),
            [37] = ("driver firmware error", "IGNORE"),
            [38] = ("driver firmware error", "IGNORE"),
            [39] = ("copy engine exception", "RESTART_APP"),
            [40] = ("copy engine exception", "RESTART_APP"),
            [41] = ("copy engine exception", "RESTART_APP"),
            [43] = ("GPU stopped processing", "IGNORE"),
            [44] = ("graphics engine fault during context switch", "IGNORE"),
            [45] = ("preemptive cleanup after an earlier error", "WORKFLOW_XID_45"),
            [46] = ("GPU stopped processing", "RESET_GPU"),
            [48] = ("double-bit ECC error", "WORKFLOW_XID_48"),
            [54] = ("auxiliary power is not connected to the board", "CHECK_MECHANICALS"),
            [60] = ("video processor exception", "RESTART_APP"),
            [62] = ("internal micro-controller halt", "RESET_GPU"),
            [63] = ("GPU memory remapping event", "IGNORE"),
            [64] = ("GPU memory remapping failure", "RESET_GPU"),
            [66] = ("illegal access by driver", "IGNORE"),
            [67] = ("illegal access by driver", "IGNORE"),
            [68] = ("NVDEC0 exception", "RESTART_APP"),
            [69] = ("graphics engine class error", "RESTART_APP"),
            [74] = ("NVLink error", "WORKFLOW_NVLINK_ERR"),
            [78] = ("vGPU start error", "UPDATE_SWFW"),
            [79] = ("GPU has fallen off the bus", "RESTART_BM"),
            [80] = ("corrupted data sent to GPU", "RESTART_APP"),
            [92] = ("high single-bit ECC error rate", "IGNORE"),
            [93] = ("non-fatal violation of provisioned InfoROM wear limit", "IGNORE"),
            [94] = ("contained memory error", "RESTART_APP"),
            [95] = ("uncontained memory error", "RESET_GPU"),
            [106] = ("SMBPBI test message", "IGNORE"),
            [107] = ("SMBPBI test message (silent)", "IGNORE"),
            [109] = ("context switch timeout", "RESET_GPU"),
            [110] = ("security fault", "RESET_GPU"),
            [119] = ("GSP RPC timeout", "RESET_GPU"),
            [120] = ("GSP error", "RESET_GPU"),
            [121] = ("C2C error", "IGNORE"),
            [136] = ("link training failed", "RESET_GPU"),
            [137] = ("NVLink privilege error", "IGNORE"),
            [140] = ("ECC unrecovered error", "RESET_GPU"),
            [141] = ("CUDA fast path error", "IGNORE"),
            [142] = ("NVENC3 error", "CONTACT_SUPPORT"),
            [143] = ("GPU initialization error", "RESET_GPU"),
            [144] = ("NVLink SAW error", "WORKFLOW_NVLINK5_ERR"),
            [145] = ("NVLink RLW error", "WORKFLOW_NVLINK5_ERR"),
            [146] = ("NVLink TLW error", "WORKFLOW_NVLINK5_ERR"),
            [147] = ("NVLink TREX error", "WORKFLOW_NVLINK5_ERR"),
            [148] = ("NVLink NVLPW_CTRL error", "WORKFLOW_NVLINK5_ERR"),
            [149] = ("NVLink NETIR error", "WORKFLOW_NVLINK5_ERR"),
            [150] = ("NVLink MSE error", "WORKFLOW_NVLINK5_ERR"),
            [151] = ("key rotation error", "RESTART_VM"),
            [152] = ("DLA SMMU error", "IGNORE"),
            [153] = ("DLA timeout", "IGNORE"),
            [154] = ("GPU recovery action changed", "XID_154"),
            [155] = ("NVLink software-defined error", "RESET_GPU"),
            [156] = ("resource retirement event", "RESET_GPU"),
            [157] = ("resource retirement failure", "IGNORE"),
            [158] = ("GPU fatal timeout", "RESET_GPU"),
            [159] = ("CHI non-data error", "CHECK_UVM"),
            [160] = ("channel retirement event", "IGNORE"),
            [161] = ("channel retirement failure", "IGNORE"),
        };
        // Video and copy engines the catalog lists one by one, all RESTART_APP.
        foreach (var code in new[] { 70, 71, 72, 75, 76, 77, 82, 83, 84, 85, 86, 88, 89, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 139 })
        {
            e[code] = ("copy, video or JPEG engine error", "RESTART_APP");
        }
        // Listed with no resolution bucket yet (power smoothing, CC, PCIe fatal timeout, WPR, micro-controller halt, Xid 48 details).
        for (var code = 162; code <= 172; code++)
        {
            e[code] = ("listed without a resolution bucket", "");
        }
        return e;
    }

    /// <summary>The policy for a bucket: how bad, and what to do. Unknown buckets warn.</summary>
    public static XidRule RuleFor(string bucket, string description) => bucket switch
    {
        "RESTART_APP" => new(Severity.Warning, Remediation.CheckApplication, $"{description}; restart the application"),
        "IGNORE" => new(Severity.Ok, Remediation.None, $"{description}; informational, no action"),
        "WORKFLOW_XID_45" => new(Severity.Warning, Remediation.CheckApplication, $"{description}; follows another error"),
        "RESET_GPU" => new(Severity.Critical, Remediation.ResetGpu, $"{description}; reset the GPU"),
        "WORKFLOW_XID_48" => new(Severity.Critical, Remediation.ResetGpu, $"{description}; reset the GPU (remaps the row)"),
        "WORKFLOW_NVLINK_ERR" or "WORKFLOW_NVLINK5_ERR" => new(Severity.Critical, Remediation.ResetGpu, $"{description}; reset the GPU, then check the links"),
        "RESTART_BM" => new(Severity.Critical, Remediation.Reboot, $"{description}; reboot the node"),
        "RESTART_VM" => new(Severity.Critical, Remediation.Reboot, $"{description}; restart the VM"),
        "CHECK_MECHANICALS" => new(Severity.Critical, Remediation.Investigate, $"{description}; check power cables and seating"),
        "CONTACT_SUPPORT" => new(Severity.Critical, Remediation.Investigate, $"{description}; contact NVIDIA support"),
        "UPDATE_SWFW" => new(Severity.Warning, Remediation.UpdateFirmware, $"{description}; update driver or firmware"),
        "CHECK_UVM" => new(Severity.Warning, Remediation.CheckApplication, $"{description}; check unified-memory use"),
        "XID_154" => new(Severity.Warning, Remediation.Investigate, $"{description}; the new action is in the message"),
        _ => new(Severity.Warning, Remediation.Investigate, $"{description}; see NVIDIA's Xid catalog"),
    };
}
