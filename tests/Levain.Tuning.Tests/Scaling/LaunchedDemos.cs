using Levain.Tuning.Spaces;

namespace Levain.Tuning.Tests.Scaling;

/// <summary>
/// Two demos whose 10x recommendations were launched (2026-12-07 and the evening of 2026-12-07), their trials as stored
/// before the launch: lr, width, depth, steps, nll_correct, FLOPs, in the demo's search space. The first launch (lr
/// 0.0040, width 64, depth 1, 30,650 steps) scored 0.366; the second (lr 0.0051, width 184, depth 1, 5,850 steps)
/// 1.484, worse than its study's best trial (0.766). Compiled into Levain.Runner.Tests and Levain.Cli.Tests too.
/// </summary>
internal static class LaunchedDemos
{
    /// <summary>
    /// The first six trials every demo runs: the tuner's seeded initial design, the same settings and (seed 1) the
    /// same results in every demo.
    /// </summary>
    private static readonly (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] SeededStart =
    [
    (0.00103843, 48, 2, 800, 2.680625, 3.99429e+11), (0.0271891, 16, 3, 2000, 2.587949, 2.47333e+11), (0.00230405, 72, 1, 2300, 1.555758, 1.28605e+12),
    (0.00588144, 208, 6, 200, 2.860003, 4.11015e+12), (0.0137043, 32, 1, 950, 2.595444, 1.46434e+11), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11),
    ];

    public static readonly (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] Good =
    [
    .. SeededStart,
    (0.0023096, 56, 1, 3550, 1.432566, 1.30937e+12), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11), (0.00288733, 24, 1, 3500, 2.597742, 3.55074e+11),
    (0.00244573, 40, 1, 3450, 1.791685, 7.46127e+11), (0.00248761, 56, 1, 4400, 1.209452, 1.62288e+12), (0.00258668, 64, 1, 3100, 1.287705, 1.42376e+12),
    (0.00283937, 72, 1, 3100, 1.288795, 1.73337e+12), (0.0018095, 64, 1, 4600, 1.377454, 2.11267e+12), (0.00237833, 48, 1, 4700, 1.807918, 1.35282e+12),
    (0.00345995, 48, 1, 5600, 1.070173, 1.61187e+12), (0.00312439, 64, 1, 4750, 0.984289, 2.18156e+12), (0.0044867, 56, 1, 6200, 0.980038, 2.28679e+12),
    (0.00277291, 56, 1, 3050, 1.391922, 1.12495e+12), (0.00533842, 40, 1, 6650, 0.752204, 1.43819e+12), (0.00384023, 56, 1, 4650, 1.309078, 1.71509e+12),
    (0.00477762, 48, 1, 7050, 0.898836, 2.02923e+12), (0.00708337, 40, 1, 7100, 0.918942, 1.53551e+12),
    ];

    public static readonly (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] Failed =
    [
    .. SeededStart,
    (0.00235685, 32, 1, 2850, 2.563409, 4.39301e+11), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11), (0.0210081, 16, 3, 3700, 1.641742, 4.57566e+11),
    (0.00468483, 80, 1, 2250, 1.565720, 1.50405e+12), (0.00308737, 72, 1, 3000, 1.397512, 1.67746e+12), (0.00101876, 72, 1, 2200, 2.629877, 1.23014e+12),
    (0.00245891, 88, 1, 2300, 1.372408, 1.8106e+12), (0.00329021, 56, 1, 3100, 1.338776, 1.14339e+12), (0.00309806, 56, 1, 1650, 2.125465, 6.0858e+11),
    (0.00287103, 48, 1, 1450, 2.559831, 4.17359e+11), (0.00790977, 40, 1, 2350, 1.493544, 5.08232e+11), (0.00318908, 48, 2, 3000, 1.395517, 1.49786e+12),
    (0.00310885, 88, 1, 2100, 1.607548, 1.65316e+12), (0.00447786, 64, 1, 4650, 0.917330, 2.13563e+12), (0.00353225, 56, 1, 4700, 1.238073, 1.73353e+12),
    (0.00491799, 48, 1, 5500, 0.964992, 1.58309e+12), (0.00496756, 40, 1, 5500, 1.411776, 1.18948e+12), (0.00641834, 48, 1, 6050, 0.766435, 1.7414e+12),
    (0.00480478, 56, 1, 5950, 1.042715, 2.19458e+12),
    ];

    /// <summary>
    /// A third demo (the evening of 2026-12-07, 26 trials; best 0.855 at 8.0e11 FLOPs, a front of 3 points over 1.59x):
    /// the output model warned at 10x and expected no smaller factor to beat the best trial, yet the 10x recommendation
    /// (lr 0.0070, width 56, depth 3, 7,950 steps), launched, scored 0.597.
    /// </summary>
    public static readonly (double Lr, int Width, int Depth, int Steps, double Output, double Cost)[] Warned =
    [
    .. SeededStart,
    (0.00165962, 48, 1, 4300, 1.98821, 1.23769e+12), (0.0188264, 24, 2, 3050, 1.590041, 5.0236e+11), (0.00273259, 32, 1, 2200, 2.553588, 3.39109e+11),
    (0.00223029, 56, 1, 1800, 2.32909, 6.63906e+11), (0.0024981, 72, 1, 2900, 1.353398, 1.62154e+12), (0.0263682, 16, 2, 5350, 1.877953, 4.86482e+11),
    (0.0236218, 32, 2, 3850, 1.708784, 9.90836e+11), (0.00305554, 48, 1, 2950, 2.38705, 8.49111e+11), (0.00184924, 80, 1, 3100, 1.37413, 2.07225e+12),
    (0.0016377, 72, 1, 3450, 1.359706, 1.92908e+12), (0.0156415, 24, 2, 4850, 0.855281, 7.98836e+11), (0.00205783, 64, 1, 2550, 1.76253, 1.17115e+12),
    (0.00235946, 72, 1, 3800, 1.211583, 2.12478e+12), (0.0165253, 24, 2, 7200, 1.112046, 1.1859e+12), (0.00301907, 72, 1, 4150, 1.179307, 2.32049e+12),
    (0.0148547, 24, 1, 5150, 2.677606, 5.22466e+11), (0.0146177, 24, 1, 5550, 1.5748, 5.63046e+11), (0.0166417, 24, 3, 7150, 1.180338, 1.62996e+12),
    (0.0200152, 24, 3, 7950, 1.03106, 1.81234e+12), (0.018076, 32, 2, 7100, 1.015654, 1.82726e+12),
    ];

    /// <summary>The demo's search space.</summary>
    public static IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Log("lr", center: 4e-3, min: 3e-4, max: 3e-2),
        ParameterSpec.Log("width", center: 64, min: 16, max: 256, isInteger: true, rounding: 8),
        ParameterSpec.Log("depth", center: 2, min: 1, max: 6, isInteger: true),
        ParameterSpec.Log("steps", center: 900, min: 100, max: 8000, isInteger: true, rounding: 50),
    ];

    /// <summary>A trial's settings as parameter values.</summary>
    public static Dictionary<string, ParamValue> Settings((double Lr, int Width, int Depth, int Steps, double Output, double Cost) t) =>
        new() { ["lr"] = t.Lr, ["width"] = t.Width, ["depth"] = t.Depth, ["steps"] = t.Steps };
}
