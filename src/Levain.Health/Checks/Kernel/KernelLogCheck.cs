using Levain.Health.Parsing.Kernel;
using Levain.Health.Profiles;
using Levain.Health.Results;

namespace Levain.Health.Checks.Kernel;

/// <summary>
/// The always-on kernel-log patterns: XID (policy table, window, de-duplication), NVSwitch SXid (allow-list), GPU off
/// the bus, PCIe AER, machine checks, I/O errors, NIC PCIe bandwidth limits and link flaps.
/// </summary>
public sealed class KernelLogCheck : IHealthCheck
{
    public string Id => "kernel";

    public IReadOnlyList<CheckResult> Evaluate(CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var log = KernelLogInput.Read(context.Bundle);
        if (!log.IsSuccess)
        {
            return [CheckResult.Unknown(CheckIds.KernelLog, "node", log.Error!)];
        }
        var events = KernelEventExtractor.Extract(log.Value!);
        var profile = context.Profile;
        var since = context.Now - profile.EventWindow;
        bool InWindow(KernelEvent e) => e.Line.Time is not { } t || t >= since; // undated lines count: we cannot prove they are old
        var gpuName = KernelLogInput.GpuNamer(context.Bundle);
        var recent = events.Where(InWindow).ToList();

        var results = new List<CheckResult>();
        results.AddRange(Xids(events, recent, profile, gpuName));
        results.AddRange(Group(CheckIds.KernelSxid, recent.Where(e => e.Kind == KernelEventKind.Sxid && !profile.SxidAllowList.Contains(e.Code!.Value)), e => e.Subject,
            g => g.Any(e => e.IsFatal)
                ? (Severity.Critical, Remediation.Drain, $"{g.Count()} NVSwitch SXid events incl. fatal codes {Codes(g.Where(e => e.IsFatal))}")
                : (Severity.Warning, Remediation.Investigate, $"{g.Count()} non-fatal NVSwitch SXid events (codes {Codes(g)})"),
            "no NVSwitch SXid events outside the allow-list"));
        results.AddRange(Group(CheckIds.KernelGpuOffBus, recent.Where(e => e.Kind == KernelEventKind.GpuFallenOffBus), e => gpuName(e.Subject),
            g => (Severity.Critical, Remediation.Reboot, "GPU has fallen off the bus"), "no GPU fell off the bus"));
        results.AddRange(Group(CheckIds.KernelPcieAer,
            recent.Where(e => e.Kind == KernelEventKind.PcieAerUncorrected || e.Kind == KernelEventKind.PcieAerCorrected), e => e.Subject,
            g => g.Any(e => e.IsFatal)
                ? (Severity.Critical, Remediation.Drain, $"{g.Count(e => e.IsFatal)} uncorrected PCIe errors")
                : g.Count() >= profile.AerCorrectedThreshold
                    ? (Severity.Warning, Remediation.ReseatCable, $"{g.Count()} corrected PCIe errors (threshold {profile.AerCorrectedThreshold})")
                    : (Severity.Ok, Remediation.None, $"{g.Count()} corrected PCIe errors, under the threshold {profile.AerCorrectedThreshold}"),
            "no PCIe AER errors"));
        results.AddRange(Group(CheckIds.KernelMachineCheck,
            recent.Where(e => e.Kind is KernelEventKind.MachineCheckCorrected or KernelEventKind.MachineCheckUncorrected), e => e.Subject,
            g => g.Any(e => e.IsFatal)
                ? (Severity.Critical, Remediation.Drain, "uncorrected machine check / memory error")
                : (Severity.Warning, Remediation.Investigate, $"{g.Count()} corrected machine check / memory errors"),
            "no machine checks"));
        results.AddRange(Group(CheckIds.KernelIoError, recent.Where(e => e.Kind == KernelEventKind.IoError), e => e.Subject,
            g => g.Any(e => e.IsFatal)
                ? (Severity.Critical, Remediation.Drain, $"filesystem error ({g.Count()} I/O error lines)")
                : g.Count() >= profile.IoErrorThreshold
                    ? (Severity.Critical, Remediation.Drain, $"{g.Count()} I/O errors in {profile.EventWindow.TotalHours:0.#} h (threshold {profile.IoErrorThreshold})")
                    : (Severity.Warning, Remediation.Investigate, $"{g.Count()} I/O errors, under the drain threshold {profile.IoErrorThreshold}"),
            "no I/O errors"));
        // Printed once at probe time: it holds for the current boot (a journal spanning older boots does not count
        // them) and, like every event, only within the window.
        var lastBoot = events.LastOrDefault(e => e.Kind == KernelEventKind.Boot)?.Line.LineNumber ?? 0;
        results.AddRange(Group(CheckIds.KernelNicPcieBandwidth,
            recent.Where(e => e.Kind == KernelEventKind.NicPcieBandwidthLimited && e.Line.LineNumber > lastBoot), e => e.Subject,
            g => (Severity.Warning, Remediation.ReseatCable, "NIC PCIe bandwidth limited by a degraded link"), "no NIC reports limited PCIe bandwidth"));
        // One flap is often logged twice (mlx5 "Link down" and networkd "Lost carrier" in the same second): count seconds.
        static int Flaps(IEnumerable<KernelEvent> g) => g.Select(e => e.Line.Time is { } t ? t.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Line.Raw).Distinct().Count();
        var carrier = recent.Where(e => e.Kind == KernelEventKind.LinkLostCarrier).Concat(NetworkJournalFlaps(context.Bundle, since)).ToList();
        results.AddRange(Group(CheckIds.KernelLinkFlaps, carrier, e => e.Subject,
            g => Flaps(g) >= profile.LinkFlapThreshold
                ? (Severity.Warning, Remediation.ReseatCable, $"link lost carrier {Flaps(g)} times in {profile.EventWindow.TotalHours:0.#} h (threshold {profile.LinkFlapThreshold})")
                : (Severity.Ok, Remediation.None, $"link lost carrier {Flaps(g)} times, under the threshold {profile.LinkFlapThreshold}"),
            "no link flaps"));
        return results;
    }

    private static IEnumerable<CheckResult> Xids(IReadOnlyList<KernelEvent> all, IReadOnlyList<KernelEvent> recent, HealthProfile profile, Func<string, string> gpuName)
    {
        var xids = recent.Where(e => e.Kind == KernelEventKind.Xid).ToList();
        var old = all.Count(e => e.Kind == KernelEventKind.Xid) - xids.Count;
        var results = new List<CheckResult>();
        // De-duplicate: one result per (GPU, code), however many times it was logged.
        foreach (var g in xids.GroupBy(e => (Gpu: gpuName(e.Subject), Code: e.Code!.Value)).OrderBy(g => g.Key.Gpu, StringComparer.Ordinal).ThenBy(g => g.Key.Code))
        {
            var rule = profile.Xid.RuleFor(g.Key.Code);
            if (g.Key.Code == 154 && RecoveryActionRule(g.OrderBy(e => e.Line.Time).Last().Line.Message) is { } changed)
            {
                rule = changed; // NVIDIA's verdict, in the line itself: "... changed from 0x0 (None) to 0x1 (GPU Reset Required)"
            }
            else if (!profile.Xid.Rules.ContainsKey(g.Key.Code))
            {
                rule = rule with { Meaning = $"unknown XID {g.Key.Code}, see NVIDIA's Xid catalog" };
            }
            var times = g.Select(e => e.Line.Time).OfType<DateTimeOffset>().ToList();
            var when = times.Count > 0 ? $", last at {times.Max():yyyy-MM-dd HH:mm:ss}Z" : "";
            results.Add(new CheckResult(CheckIds.KernelXid, g.Key.Gpu, rule.Severity,
                $"XID {g.Key.Code} ({rule.Meaning}) x{g.Count()}{when}", Evidence(g), rule.Remediation) { EventKey = $"xid:{g.Key.Code}@{Newest(g)}" });
        }
        if (results.Count == 0)
        {
            var suffix = old > 0 ? $"; {old} older XID events outside the {profile.EventWindow.TotalHours:0.#} h window" : "";
            results.Add(CheckResult.Ok(CheckIds.KernelXid, "node", $"no XID events in the window{suffix}"));
        }
        return results;
    }

    /// <summary>The action an Xid 154 line changed to: "to 0x1 (GPU Reset Required)", "to 0x2 (Node Reboot Required)", ...</summary>
    private static Levain.Health.Xid.XidRule? RecoveryActionRule(string message)
    {
        var at = message.LastIndexOf(" to ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var to = message[(at + 4)..].ToUpperInvariant();
        return to.Contains("NONE", StringComparison.Ordinal) || to.StartsWith("0X0", StringComparison.Ordinal)
                ? new(Severity.Ok, Remediation.None, "GPU recovery action cleared")
            : to.Contains("DRAIN", StringComparison.Ordinal) ? new(Severity.Critical, Remediation.Drain, "the driver asks to drain the GPU's peers (and reset)")
            : to.Contains("REBOOT", StringComparison.Ordinal) ? new(Severity.Critical, Remediation.Reboot, "the driver asks for a node reboot")
            : to.Contains("RESET", StringComparison.Ordinal) ? new(Severity.Critical, Remediation.ResetGpu, "the driver asks for a GPU reset")
            : null;
    }

    private static IEnumerable<CheckResult> Group(string checkId, IEnumerable<KernelEvent> events, Func<KernelEvent, string> subject,
        Func<IEnumerable<KernelEvent>, (Severity, Remediation, string)> judge, string okMessage)
    {
        var results = new List<CheckResult>();
        foreach (var g in events.GroupBy(subject).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (severity, remediation, message) = judge(g);
            results.Add(new CheckResult(checkId, g.Key, severity, message, Evidence(g), remediation) { EventKey = $"{checkId}@{Newest(g)}" });
        }
        return results.Count > 0 ? results : [CheckResult.Ok(checkId, "node", okMessage)];
    }

    /// <summary>systemd-networkd's "Lost carrier" lines from <c>network-journal.txt</c>, when the bundle has it (optional).</summary>
    private static IEnumerable<KernelEvent> NetworkJournalFlaps(Bundles.Bundle bundle, DateTimeOffset since)
    {
        var journal = bundle.Get(Bundles.BundleFiles.NetworkJournal);
        if (!journal.IsAvailable)
        {
            return [];
        }
        return KernelEventExtractor.Extract(KernelLogParser.Parse(journal.Text!))
            .Where(e => e.Kind == KernelEventKind.LinkLostCarrier && (e.Line.Time is not { } t || t >= since));
    }

    /// <summary>The newest event's time (round-trip form), or its raw line when the log gives no time.</summary>
    private static string Newest(IEnumerable<KernelEvent> events)
    {
        var list = events.ToList();
        var times = list.Select(e => e.Line.Time).OfType<DateTimeOffset>().ToList();
        return times.Count > 0 ? times.Max().ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) : list[^1].Line.Raw;
    }

    /// <summary>The first three lines and the last one.</summary>
    private static List<string> Evidence(IEnumerable<KernelEvent> events)
    {
        var lines = events.Select(e => e.Line.Raw).ToList();
        return lines.Count <= 4 ? lines : [.. lines.Take(3), $"... {lines.Count - 4} more ...", lines[^1]];
    }

    private static string Codes(IEnumerable<KernelEvent> events) => string.Join(",", events.Select(e => e.Code).Distinct().Order());
}
