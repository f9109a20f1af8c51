namespace Revocation.Testing;

/// <summary>Polls a condition until it holds, failing the test with a description once the limit passes.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(TimeSpan limit, Func<Task<bool>> condition, Func<string>? describe = null, TimeSpan? poll = null)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Not reached within {limit}.{(describe is null ? "" : " " + describe())}");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200));
        }
    }
}
