namespace AriaClient.Tests.Infrastructure;

/// <summary>The demo accounts of the sandbox seed.</summary>
public static class Demo
{
    public const long Alice = 1000001;
    public const long Bob = 1000002;
    public const long Carol = 1000003;
    public const long Dave = 1000004;
    public const long Erin = 1000005;
    public const long Frank = 1000006;
    public const long Grace = 1000007;

    public const long Standard = 12;
    public const long Premium = 13;
    public const long Basic = 11;
    public const long DefaultMaster = 10;
    public const long ExtraStorage = 21;
    public const long PrioritySupport = 22;
    public const long StaticIp = 23;
}
