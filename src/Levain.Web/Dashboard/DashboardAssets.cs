namespace Levain.Web.Dashboard;

/// <summary>The page, script and style sheet, embedded in the assembly from Dashboard/wwwroot (nothing is fetched at run time).</summary>
internal static class DashboardAssets
{
    private const string Prefix = "Levain.Web.Dashboard.wwwroot.";

    public static byte[]? Read(string name)
    {
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..", StringComparison.Ordinal)) return null;
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null) return null;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}
