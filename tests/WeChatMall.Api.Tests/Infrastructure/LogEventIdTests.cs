using System.Reflection;
using Microsoft.Extensions.Logging;

namespace WeChatMall.Api.Tests.Infrastructure;

/// <summary>
/// Every [LoggerMessage] event id is used once per process, so an alert or a log query on an id finds one kind of
/// event. The API runs with the WeChat library; the sandbox is a process of its own, also with the library.
/// </summary>
public sealed class LogEventIdTests
{
    static readonly Assembly Api = typeof(Program).Assembly;
    static readonly Assembly WeChat = typeof(WeChatMall.WeChat.WeChatOptions).Assembly;
    static readonly Assembly Sandbox = typeof(WeChatMall.Sandbox.SandboxOptions).Assembly;

    static IEnumerable<(int Id, string Where)> EventIds(params Assembly[] assemblies) =>
        from assembly in assemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is { EventId: >= 0 }
        select (attribute.EventId, $"{type.FullName}.{method.Name}");

    [Test]
    public void EventIds_AreUniqueInTheApiProcess() => AssertUnique(EventIds(Api, WeChat), atLeast: 50);

    [Test]
    public void EventIds_AreUniqueInTheSandboxProcess() => AssertUnique(EventIds(Sandbox, WeChat), atLeast: 5);

    static void AssertUnique(IEnumerable<(int Id, string Where)> ids, int atLeast)
    {
        var all = ids.ToList();
        var duplicates = all.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Where))}").ToList();
        Assert.That(all, Has.Count.GreaterThanOrEqualTo(atLeast), "the scan found the log methods");
        Assert.That(duplicates, Is.Empty);
    }
}
