using System.Globalization;
using System.Text;

namespace Levain.Runner.Protocol;

/// <summary>
/// A log file that never exceeds its cap by more than one marker line: lines are written as they come until half the
/// cap is used (the head); after that the latest lines are kept in memory, up to the other half (the tail), and written
/// at <see cref="Dispose"/> after a line saying how much was cut. Memory stays bounded by the tail's size. Written
/// lines reach the file within <see cref="FlushInterval"/>: a timer flushes what is pending, so the last line of a
/// trial that then goes quiet is in the log even if the driver is killed (flushing only on the next write had left it
/// in the buffer). Callers serialise their writes; the timer takes its own lock.
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
    private readonly Lock _gate = new();
    private readonly Timer _flusher;
    private bool _isPending;
    private bool _isDisposed;

    /// <summary>How long a written line may wait in the buffer: a chatty trial costs one write call per interval, not per line.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    public BoundedLog(string path, long capBytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _written = _file.Length;
        _headBytes = capBytes / 2;
        _tailBytes = capBytes - _headBytes;
        _flusher = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    /// <summary>Bytes of output left out of the file (so far).</summary>
    public long CutBytes => _cutBytes;

    public void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        if (!_isCutting && _written + bytes.Length <= _headBytes)
        {
            lock (_gate)
            {
                _file.Write(bytes);
                _isPending = true;
            }
            _written += bytes.Length;
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

    /// <summary>Writes what is buffered to the file (the timer calls it every <see cref="FlushInterval"/>).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_isPending && !_isDisposed)
            {
                _file.Flush();
                _isPending = false;
            }
        }
    }

    public void Dispose()
    {
        _flusher.Dispose();
        lock (_gate)
        {
            DisposeFile();
        }
    }

    private void DisposeFile()
    {
        if (_isDisposed)
        {
            return;
        }
        _isDisposed = true;
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
