namespace Levain.Health.Parsing.Nvlink;

/// <summary>
/// <c>nvidia-smi nvlink -s</c> taken apart: every GPU it listed (in nvidia-smi's order) and every link line. A GPU that
/// printed "all links are inActive" is in <see cref="Gpus"/> with no links.
/// </summary>
public sealed record NvlinkStatusReport(IReadOnlyList<int> Gpus, IReadOnlyList<NvlinkLink> Links)
{
    /// <summary>Active links of one GPU.</summary>
    public int ActiveLinks(int gpu) => Links.Count(l => l.Gpu == gpu && l.IsActive);
}
