namespace Levain.Cli.Contract;

/// <summary>
/// Every output location is <c>--out</c>. The spellings earlier versions used (<c>--output</c>, <c>--output-dir</c>,
/// <c>--dir</c>, <c>--bundle-out</c>, <c>--bundles-out</c>) still work: they are rewritten to <c>--out</c> before
/// parsing, so they stay out of the help text (hidden aliases).
/// </summary>
public static class OutputAliases
{
    public static readonly IReadOnlyList<string> OldSpellings = ["--output", "--output-dir", "--dir", "--bundle-out", "--bundles-out"];

    public static string[] Rewrite(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new string[args.Length];
        var afterSeparator = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            afterSeparator |= arg == "--";
            result[i] = afterSeparator ? arg : RewriteOne(arg);
        }
        return result;
    }

    private static string RewriteOne(string arg)
    {
        foreach (var old in OldSpellings)
        {
            if (arg == old) return "--out";
            if (arg.StartsWith(old + "=", StringComparison.Ordinal)) return "--out" + arg[old.Length..];
        }
        return arg;
    }
}
