using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Redis;

/// <summary>
/// Member routes look the session up in Redis. With the shipped Redis settings and Redis stopped or hung, they
/// answer a 503 ProblemDetails (not a 401, which would make the client log in again) within a second.
/// </summary>
public sealed class SessionRedisDownTests
{
    public enum Failure { Stopped, Hung }

    [TestCase(Failure.Stopped)]
    [TestCase(Failure.Hung)]
    public async Task RedisDown_ShippedSettings_MemberRouteAnswers503WithinASecond(Failure failure)
    {
        await using var redis = await RedisProcess.StartAsync();
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var sessions = api.Services.GetRequiredService<MemberSessions>();
        var session = await sessions.IssueAsync(long.MaxValue - Random.Shared.Next(1000), CancellationToken.None);
        // A second session of the member, not looked up before the failure: the instance's short memory of lookups
        // (Members:SessionCacheSeconds) cannot answer for it, only Redis can.
        var unseen = await sessions.IssueAsync(long.MaxValue - Random.Shared.Next(1000), CancellationToken.None);
        using var warmUpClient = api.CreateClient();
        warmUpClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        var warmUp = await warmUpClient.GetAsync("/api/me/");
        Assert.That(warmUp.StatusCode, Is.Not.EqualTo(HttpStatusCode.Unauthorized).And.Not.EqualTo(HttpStatusCode.ServiceUnavailable),
            "the session is found while Redis is up");
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", unseen.Token);

        if (failure == Failure.Stopped) redis.Stop(); else redis.Hang();
        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync("/api/me/");
        watch.Stop();
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem.GetProperty("code").GetString(), Is.EqualTo("SESSIONS_UNAVAILABLE"));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), $"answered in {watch.ElapsedMilliseconds} ms");
        });
    }
}
