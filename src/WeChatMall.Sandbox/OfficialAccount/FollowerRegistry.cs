namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>A user as WeChat knows them for the Official Account.</summary>
public sealed record Follower
{
    public required string OpenId { get; init; }
    public string Nickname { get; init; } = "";
    public string? UnionId { get; init; }
    public bool Subscribed { get; init; }
    public long SubscribeTime { get; init; }
    public string SubscribeScene { get; init; } = "ADD_SCENE_OTHERS";
    public string QrSceneStr { get; init; } = "";
    public IReadOnlyList<int> TagIds { get; init; } = [];
}

/// <summary>Followers and tags of the sandbox's Official Account, seeded with three demo users. Thread-safe.</summary>
public sealed class FollowerRegistry
{
    public static readonly (string OpenId, string Nickname)[] Demo =
        [("o_sandbox_alice", "Alice"), ("o_sandbox_bob", "Bob"), ("o_sandbox_carol", "Carol")];

    readonly Lock _lock = new();
    readonly Dictionary<string, Follower> _followers = new(StringComparer.Ordinal);
    readonly Dictionary<int, string> _tags = [];
    int _nextTagId = 100;   // ids 0-2 are WeChat's own; user tags start above them

    public FollowerRegistry() => Reset();

    public Follower GetOrAdd(string openId)
    {
        lock (_lock)
        {
            if (!_followers.TryGetValue(openId, out var f))
                _followers[openId] = f = new Follower { OpenId = openId, UnionId = "u" + openId };
            return f;
        }
    }

    public Follower? Find(string openId)
    {
        lock (_lock) return _followers.GetValueOrDefault(openId);
    }

    public Follower Update(string openId, Func<Follower, Follower> change)
    {
        lock (_lock) return _followers[openId] = change(GetOrAdd(openId));
    }

    public IReadOnlyList<Follower> All()
    {
        lock (_lock) return [.. _followers.Values.OrderBy(f => f.OpenId, StringComparer.Ordinal)];
    }

    public int? CreateTag(string name)
    {
        lock (_lock)
        {
            if (_tags.ContainsValue(name)) return null;
            _tags[++_nextTagId] = name;
            return _nextTagId;
        }
    }

    public IReadOnlyList<(int Id, string Name, int Count)> Tags()
    {
        lock (_lock) return [.. _tags.Select(t => (t.Key, t.Value, _followers.Values.Count(f => f.TagIds.Contains(t.Key))))];
    }

    public bool TagExists(int id)
    {
        lock (_lock) return _tags.ContainsKey(id);
    }

    public void Reset()
    {
        lock (_lock)
        {
            _followers.Clear();
            _tags.Clear();
            foreach (var (openId, nickname) in Demo)
                _followers[openId] = new Follower { OpenId = openId, Nickname = nickname, UnionId = "u" + openId };
        }
    }
}
