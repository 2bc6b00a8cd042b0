using System.Text;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

public sealed record NotificationAttempt(DateTimeOffset At, int? Status, string? Error, bool Probe);

/// <summary>A notification the sandbox built once; every delivery POSTs the same body (same id) with fresh signature headers.</summary>
public sealed record NotificationView(
    string Id, string EventType, string Url, string? OutTradeNo, string? OutRefundNo, string Body, bool Acknowledged,
    IReadOnlyList<NotificationAttempt> Attempts);

/// <summary>
/// Sends signed, encrypted notifications (docs/wechat-protocol.md#payment-notifications) and retries unacknowledged ones on WeChat Pay's schedule, scaled by
/// Sandbox:Merchant:NotifyRetryScale. Only the HTTP status counts: 2xx is acknowledged, anything else is retried.
/// </summary>
public sealed class NotificationSender(
    IHttpClientFactory httpFactory, PayKeys keys, IOptions<SandboxOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<NotificationSender> logger)
{
    public const string HttpClientName = "pay-notify";
    static readonly int[] RetrySeconds = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600];

    sealed class Entry(string id, string eventType, string url, string? outTradeNo, string? outRefundNo, string body)
    {
        public readonly List<NotificationAttempt> Attempts = [];
        public bool Acknowledged;
        public NotificationView View() => new(id, eventType, url, outTradeNo, outRefundNo, body, Acknowledged, [.. Attempts]);
        public string Body => body;
        public string Url => url;
    }

    readonly Lock _lock = new();
    readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    readonly List<string> _order = [];

    /// <summary>Builds the notification and starts delivering it in the background; returns its id.</summary>
    public string Send<T>(string url, string eventType, string originalType, string summary, T resource, string? outTradeNo, string? outRefundNo)
    {
        var built = new NotificationBuilder(keys.Signer, options.Value.Merchant.ApiV3Key, time).Build(eventType, originalType, summary, resource);
        var id = WeChatPayJson.Deserialize<PayNotification>(built.Body)!.Id;
        var entry = new Entry(id, eventType, url, outTradeNo, outRefundNo, built.Body);
        lock (_lock)
        {
            _entries[id] = entry;
            _order.Add(id);
        }
        _ = Task.Run(() => DeliverWithRetriesAsync(entry, lifetime.ApplicationStopping));
        return id;
    }

    /// <summary>Sends an existing notification again, <paramref name="times"/> times in a row (duplicates, late delivery).</summary>
    public async Task<IReadOnlyList<NotificationAttempt>?> RedeliverAsync(string id, int times, bool probe, CancellationToken ct)
    {
        Entry? entry;
        lock (_lock) entry = _entries.GetValueOrDefault(id);
        if (entry is null) return null;
        var attempts = new List<NotificationAttempt>();
        for (var i = 0; i < times; i++) attempts.Add(await AttemptAsync(entry, probe, ct));
        return attempts;
    }

    public NotificationView? Find(string id)
    {
        lock (_lock) return _entries.GetValueOrDefault(id)?.View();
    }

    public IReadOnlyList<NotificationView> List(string? outTradeNo)
    {
        lock (_lock)
            return [.. _order.Select(id => _entries[id].View()).Where(v => outTradeNo is null || v.OutTradeNo == outTradeNo)];
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _order.Clear();
        }
    }

    async Task DeliverWithRetriesAsync(Entry entry, CancellationToken ct)
    {
        try
        {
            for (var retry = 0; retry <= RetrySeconds.Length; retry++)
            {
                if (retry > 0)
                    await Task.Delay(TimeSpan.FromSeconds(RetrySeconds[retry - 1] * options.Value.Merchant.NotifyRetryScale), time, ct);
                if ((await AttemptAsync(entry, probe: false, ct)).Status is >= 200 and < 300) return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    async Task<NotificationAttempt> AttemptAsync(Entry entry, bool probe, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(entry.Body);
        // Signed at send time: a late re-delivery carries a fresh timestamp, as WeChat Pay's retries do.
        var headers = probe ? keys.Signer.SignatureProbe(bytes) : keys.Signer.Sign(bytes);
        using var request = new HttpRequestMessage(HttpMethod.Post, entry.Url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers.ToPairs()) request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.UserAgent.ParseAdd("Mozilla/4.0");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Merchant.NotifyTimeoutMs);
        NotificationAttempt attempt;
        try
        {
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            attempt = new(time.GetUtcNow(), (int)response.StatusCode, null, probe);
        }
        catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            attempt = new(time.GetUtcNow(), null, e.Message, probe);
        }
        Log.NotificationAttempt(logger, entry.Url, attempt.Status, probe);
        lock (_lock)
        {
            entry.Attempts.Add(attempt);
            if (!probe && attempt.Status is >= 200 and < 300) entry.Acknowledged = true;
        }
        return attempt;
    }
}

static partial class Log
{
    [LoggerMessage(5101, LogLevel.Information, "Pay notification to {Url}: HTTP {Status} (probe {Probe})")]
    public static partial void NotificationAttempt(ILogger logger, string url, int? status, bool probe);
}
