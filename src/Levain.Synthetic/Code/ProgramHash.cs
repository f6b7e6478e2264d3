using System.Security.Cryptography;
using System.Text;
using Levain.Synthetic.Code.Syntax;

namespace Levain.Synthetic.Code;

/// <summary>
/// Content hash of a program: lower-case hex SHA-256 (first 16 bytes) of its canonical rendering. Two programs
/// have the same hash exactly when they render to the same text, whichever seed produced them.
/// </summary>
public static class ProgramHash
{
    public static string Of(CodeProgram program) => OfText(ProgramPrinter.Print(program));

    /// <summary>Hash of an already rendered program (the output of <see cref="ProgramPrinter.Print(CodeProgram)"/>).</summary>
    public static string OfText(string programText)
    {
        ArgumentNullException.ThrowIfNull(programText);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(programText));
        return Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }
}
