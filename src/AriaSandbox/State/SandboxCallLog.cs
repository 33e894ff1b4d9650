namespace Aria.Sandbox.State;

/// <summary>One Aria call the sandbox answered (or refused).</summary>
public sealed record SandboxCall(
    DateTimeOffset At,
    string RestCall,
    long? AcctNo,
    long ErrorCode,
    bool? DoWrite,
    string Transport);

/// <summary>Which calls reached the sandbox, for tests that count Aria round trips.</summary>
public sealed class SandboxCallLog
{
    private readonly List<SandboxCall> _calls = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<SandboxCall> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public int Count(string restCall, long? acctNo = null) =>
        All.Count(c => c.RestCall == restCall && (acctNo is null || c.AcctNo == acctNo));

    public IReadOnlyList<SandboxCall> For(long acctNo) => All.Where(c => c.AcctNo == acctNo).ToList();

    public void Clear()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    internal void Add(SandboxCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }
}
