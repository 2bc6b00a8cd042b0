using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Infrastructure.Jobs;

/// <summary>
/// For jobs that only one instance may run at a time: a row per job in <c>job_leases</c> held by one instance until
/// it lapses. The holder renews it at the start of every run; the lease (PeriodicJob: three intervals plus a minute)
/// must outlast a run, as it is not renewed during one. Another instance takes it over only after it expired, so a
/// crashed holder is replaced within one lease length. MySQL rather than Redis: the lease
/// must survive a Redis eviction or restart, and the jobs that need it cannot work without MySQL anyway.
/// </summary>
public sealed class JobLease(MySqlDataSource db, TimeProvider clock)
{
    /// <summary>Which instance holds a lease: random per process.</summary>
    public string Holder { get; } = Truncate($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    const string AcquireSql = """
        INSERT INTO job_leases (name, holder, expires_at) VALUES (@name, @holder, @until)
        ON DUPLICATE KEY UPDATE
          holder     = IF(expires_at <= @now OR holder = @holder, VALUES(holder), holder),
          expires_at = IF(expires_at <= @now OR holder = @holder, VALUES(expires_at), expires_at)
        """;

    /// <summary>Takes or renews the lease for <paramref name="length"/>; false while another live instance holds it.</summary>
    public async Task<bool> TryHoldAsync(string name, TimeSpan length, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(AcquireSql, new { name, holder = Holder, now, until = now + length }, cancellationToken: ct));
        var holder = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT holder FROM job_leases WHERE name = @name", new { name }, cancellationToken: ct));
        return holder == Holder;
    }

    /// <summary>Gives the lease up (on shutdown), so another instance need not wait for it to lapse.</summary>
    public async Task ReleaseAsync(string name, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_leases SET expires_at = @now WHERE name = @name AND holder = @holder",
            new { name, holder = Holder, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    static string Truncate(string s) => s.Length <= 128 ? s : s[^128..];
}
