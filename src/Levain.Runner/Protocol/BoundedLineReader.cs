using System.Globalization;
using System.Text;

namespace Levain.Runner.Protocol;

/// <summary>
/// Splits a stream of text into lines without ever holding more than <c>maxLineChars</c> of one line: the rest of an
/// over-long line is skipped (counted, not stored) and the line is delivered cut, with a marker saying how much.
/// </summary>
internal static class BoundedLineReader
{
    public static async Task PumpAsync(TextReader reader, int maxLineChars, Action<string> sink)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        long skipped = 0;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                Append(buffer.AsSpan(start, i - start));
                Emit();
                start = i + 1;
            }
            Append(buffer.AsSpan(start, read - start));
        }
        if (line.Length > 0 || skipped > 0) Emit();

        void Append(ReadOnlySpan<char> chars)
        {
            var room = Math.Max(0, maxLineChars - line.Length);
            if (chars.Length <= room)
            {
                line.Append(chars);
                return;
            }
            line.Append(chars[..room]);
            skipped += chars.Length - room;
        }

        void Emit()
        {
            if (line.Length > 0 && line[^1] == '\r') line.Length--;
            if (skipped > 0) line.Append(CultureInfo.InvariantCulture, $" ... [levain: line cut, {skipped} more characters left out]");
            sink(line.ToString());
            line.Clear();
            skipped = 0;
        }
    }
}
