namespace Revocation.AspNetCore;

/// <summary>
/// Which log lines to write: each key (a jti and its reason; a kind of failure) once per <see cref="Window"/>, and at
/// most <see cref="LinesPerWindow"/> lines per window in all. The lines held back are only counted;
/// the count goes to the first line of the next window, to be written as one summary. A client
/// replaying a revoked token at full speed thus costs one line a minute, not one per request (the
/// metrics still count every request), and many distinct tokens cannot flood the log either. Memory
/// is bounded: one hash per line written in the current window.
/// </summary>
internal sealed class LogBudget(TimeProvider time, int linesPerWindow, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _written = [];
    private long _windowStart;
    private long _suppressed;
    private bool _started;

    public int LinesPerWindow => linesPerWindow;

    public TimeSpan Window => window;

    /// <summary>Whether the line of <paramref name="key"/> may be written now.</summary>
    /// <param name="key">What makes two lines the same (a hash: a repeat within the window is not written).</param>
    /// <param name="suppressed">Lines held back in the window that just ended (to be summed up first), else 0.</param>
    public bool TryTake(int key, out long suppressed)
    {
        suppressed = 0;
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_started || time.GetElapsedTime(_windowStart, now) >= window)
            {
                suppressed = _suppressed;
                _started = true;
                _windowStart = now;
                _written.Clear();
                _suppressed = 0;
            }

            // A hash collision only costs one line: the line is left out and counted.
            if (_written.Count < linesPerWindow && _written.Add(key))
            {
                return true;
            }

            _suppressed++;
            return false;
        }
    }
}
