/// <summary>
/// Which of the measured revocations (numbered 0 … count − 1) one node was told of, as bits:
/// a thousand nodes times thousands of revocations would not fit as sets of strings.
/// </summary>
internal sealed class NoticeSet(int count)
{
    private readonly long[] _bits = new long[(count + 63) / 64];

    public int Capacity => count;

    public void Add(int index)
    {
        if (index >= 0 && index < count)
        {
            Interlocked.Or(ref _bits[index >> 6], 1L << (index & 63));
        }
    }

    public bool Contains(int index) => (Volatile.Read(ref _bits[index >> 6]) & (1L << (index & 63))) != 0;
}
