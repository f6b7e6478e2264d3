using System.Globalization;
using System.Text;

namespace Levain.Runner.Protocol;

/// <summary>
/// A log file that never exceeds its cap by more than one marker line: lines are written as they come until half the
/// cap is used (the head); after that the latest lines are kept in memory, up to the other half (the tail), and written
/// at <see cref="Dispose"/> after a line saying how much was cut. Memory stays bounded by the tail's size. Not
/// thread-safe; the owner serialises calls.
/// </summary>
internal sealed class BoundedLog : IDisposable
{
    private readonly FileStream _file;
    private readonly long _headBytes;
    private readonly long _tailBytes;
    private readonly Queue<byte[]> _tail = new();
    private long _written;
    private long _tailSize;
    private long _cutBytes;
    private long _cutLines;
    private bool _isCutting;
    private long _lastFlush = Environment.TickCount64;

    public BoundedLog(string path, long capBytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _written = _file.Length;
        _headBytes = capBytes / 2;
        _tailBytes = capBytes - _headBytes;
    }

    /// <summary>Bytes of output left out of the file (so far).</summary>
    public long CutBytes => _cutBytes;

    public void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (!_isCutting && _written + bytes.Length <= _headBytes)
        {
            _file.Write(bytes);
            _written += bytes.Length;
            // Flushed a few times a second, not per line: a chatty trial costs one write call per buffer, not per line.
            if (Environment.TickCount64 - _lastFlush > 200)
            {
                _file.Flush();
                _lastFlush = Environment.TickCount64;
            }
            return;
        }
        _isCutting = true;
        _tail.Enqueue(bytes);
        _tailSize += bytes.Length;
        while (_tailSize > _tailBytes && _tail.Count > 0)
        {
            var dropped = _tail.Dequeue();
            _tailSize -= dropped.Length;
            _cutBytes += dropped.Length;
            _cutLines++;
        }
    }

    public void Flush() => _file.Flush();

    public void Dispose()
    {
        if (_isCutting)
        {
            if (_cutLines > 0)
            {
                _file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"[levain] ... output cut here: {_cutLines} lines ({_cutBytes} bytes) left out to keep this log within {_headBytes + _tailBytes} bytes; the first and last parts are kept ...\n")));
            }
            foreach (var bytes in _tail) _file.Write(bytes);
            _tail.Clear();
        }
        _file.Dispose();
    }
}
