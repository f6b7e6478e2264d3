using System.Globalization;
using System.Text.RegularExpressions;

namespace Levain.Health.Parsing.Active;

/// <summary>Parsers for the standard outputs of gpu-burn and nccl-tests (<c>all_reduce_perf</c>).</summary>
public static partial class ActiveTestParsers
{
    // 100.0%  proc'd: 10680 (47565 Gflop/s) - 10660 (47320 Gflop/s)   errors: 0 - 0   temps: 67 C - 66 C
    [GeneratedRegex(@"proc'd: (?<procd>.*?)\s+errors: (?<errors>.*?)\s+temps:")]
    private static partial Regex Progress();

    [GeneratedRegex(@"\((?<gflops>[\d.]+) Gflop/s\)")]
    private static partial Regex Gflops();

    [GeneratedRegex(@"^\s*GPU (?<gpu>\d+): (?<verdict>OK|FAULTY)\s*$")]
    private static partial Regex Verdict();

    [GeneratedRegex(@"^# Avg bus bandwidth\s*:\s*(?<bw>[\d.]+)")]
    private static partial Regex AvgBusBw();

    [GeneratedRegex(@"^# Out of bounds values\s*:\s*(?<n>\d+)\s+(?<ok>OK|FAILED)")]
    private static partial Regex OutOfBounds();

    // size count type redop root | time algbw busbw #wrong | time algbw busbw #wrong
    [GeneratedRegex(@"^\s*(?<size>\d+)\s+\d+\s+\w+\s+\w+\s+-?\d+\s+[\d.]+\s+[\d.]+\s+(?<busbw>[\d.]+)\s+(?<wrong>\d+|N/A)\s+[\d.]+\s+[\d.]+\s+(?<busbw2>[\d.]+)\s+(?<wrong2>\d+|N/A)\s*$")]
    private static partial Regex NcclRow();

    public static Parsed<GpuBurnResult> ParseGpuBurn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[]? lastGflops = null;
        string[]? lastErrors = null;
        var verdicts = new List<(int Gpu, bool Ok, string Line)>();
        foreach (var raw in text.Split('\n', '\r'))
        {
            var p = Progress().Match(raw);
            if (p.Success)
            {
                lastGflops = p.Groups["procd"].Value.Split(" - ");
                lastErrors = p.Groups["errors"].Value.Split(" - ");
            }
            var v = Verdict().Match(raw);
            if (v.Success)
            {
                verdicts.Add((int.Parse(v.Groups["gpu"].Value, CultureInfo.InvariantCulture), v.Groups["verdict"].Value == "OK", raw.Trim()));
            }
        }
        if (verdicts.Count == 0)
        {
            return Parsed<GpuBurnResult>.Failure("no \"Tested N GPUs\" verdict lines (run incomplete?)");
        }
        var gpus = verdicts.Select(v =>
        {
            double? gflops = null;
            long? errors = null;
            if (lastGflops is not null && v.Gpu < lastGflops.Length && Gflops().Match(lastGflops[v.Gpu]) is { Success: true } g)
            {
                gflops = double.Parse(g.Groups["gflops"].Value, CultureInfo.InvariantCulture);
            }
            if (lastErrors is not null && v.Gpu < lastErrors.Length && long.TryParse(lastErrors[v.Gpu].Trim(), CultureInfo.InvariantCulture, out var e))
            {
                errors = e;
            }
            return new GpuBurnGpu(v.Gpu, v.Ok, gflops, errors, v.Line);
        }).ToList();
        return Parsed<GpuBurnResult>.Success(new GpuBurnResult(gpus));
    }

    public static Parsed<NcclTestsResult> ParseNcclTests(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        double? avg = null;
        var oobOk = true;
        long wrong = 0;
        long largest = -1;
        double? largestBusBw = null;
        var evidence = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            Match m;
            if ((m = AvgBusBw().Match(line)).Success)
            {
                avg = double.Parse(m.Groups["bw"].Value, CultureInfo.InvariantCulture);
                evidence.Add(line.Trim());
            }
            else if ((m = OutOfBounds().Match(line)).Success)
            {
                oobOk = m.Groups["ok"].Value == "OK" && m.Groups["n"].Value == "0";
                evidence.Add(line.Trim());
            }
            else if ((m = NcclRow().Match(line)).Success)
            {
                wrong += Wrong(m.Groups["wrong"].Value) + Wrong(m.Groups["wrong2"].Value);
                var size = long.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture);
                if (size >= largest)
                {
                    largest = size;
                    largestBusBw = Math.Max(double.Parse(m.Groups["busbw"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["busbw2"].Value, CultureInfo.InvariantCulture));
                }
            }
        }
        return avg is null
            ? Parsed<NcclTestsResult>.Failure("no \"# Avg bus bandwidth\" line (run incomplete?)")
            : Parsed<NcclTestsResult>.Success(new NcclTestsResult(avg.Value, largestBusBw, Math.Max(largest, 0), wrong, oobOk, evidence));
    }

    private static long Wrong(string s) => s == "N/A" ? 0 : long.Parse(s, CultureInfo.InvariantCulture);
}
