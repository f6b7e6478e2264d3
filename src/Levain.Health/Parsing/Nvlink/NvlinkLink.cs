namespace Levain.Health.Parsing.Nvlink;

/// <summary>One NVLink from <c>nvidia-smi nvlink -s</c>; <paramref name="SpeedGBps"/> is null when the link is inactive.</summary>
public sealed record NvlinkLink(int Gpu, int Link, double? SpeedGBps, string Raw)
{
    public bool IsActive => SpeedGBps is not null;
}
