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
    public Task<bool> TryHoldAsync(string name, TimeSpan length, CancellationToken ct) => TryHoldAsync(name, Holder, length, ct);

    /// <summary>
    /// The same for a holder of the caller's own (see <see cref="NewHolder"/>): for work that must not run twice at once
    /// even within one instance.
    /// </summary>
    public async Task<bool> TryHoldAsync(string name, string holder, TimeSpan length, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(AcquireSql, new { name, holder, now, until = now + length }, cancellationToken: ct));
        var current = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT holder FROM job_leases WHERE name = @name", new { name }, cancellationToken: ct));
        return current == holder;
    }

    /// <summary>A holder name of its own, distinct from every other call's and instance's.</summary>
    public string NewHolder() => Truncate($"{Holder}/{Guid.NewGuid():N}");

    /// <summary>Gives the lease up (on shutdown), so another instance need not wait for it to lapse.</summary>
    public Task ReleaseAsync(string name, CancellationToken ct) => ReleaseAsync(name, Holder, ct);

    public async Task ReleaseAsync(string name, string holder, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_leases SET expires_at = @now WHERE name = @name AND holder = @holder",
            new { name, holder, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    // The column holds 128 characters: the end (with the random part) is what makes a holder unique.
    static string Truncate(string s) => s.Length <= 128 ? s : s[^128..];
}
