using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatMall.Sandbox.Control;
using WeChatMall.Sandbox.Faults;
using WeChatMall.Sandbox.Followers;
using WeChatMall.Sandbox.MiniProgram;
using WeChatMall.Sandbox.OfficialAccount;
using WeChatMall.Sandbox.Pay;
using WeChatMall.Sandbox.Recording;

namespace WeChatMall.Sandbox;

/// <summary>Composes the sandbox. Tests call <see cref="Build"/> and listen on 127.0.0.1:0.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The sandbox's appsettings.json sits next to its assembly, also when a test project hosts it.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SandboxRuntime>();
        services.AddSingleton<CallRecorder>().AddSingleton<MessageLog>().AddSingleton<FaultInjector>();
        services.AddSingleton<TokenService>().AddSingleton<TokenGuard>().AddSingleton<FollowerRegistry>()
            .AddSingleton<AccountState>().AddSingleton<CodeStore>();
        services.AddSingleton<FollowerPaging>();
        services.AddSingleton(sp =>
        {
            var rules = new MessageRules(sp.GetRequiredService<TimeProvider>());
            rules.Reset();
            return rules;
        });
        services.AddSingleton<MassRules>();
        services.AddSingleton<CallbackLog>().AddSingleton<FollowerSimulator>();
        services.AddSingleton<PayKeys>().AddSingleton<PayState>().AddSingleton<NotificationSender>();
        services.AddHttpClient(FollowerSimulator.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(NotificationSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

        var app = builder.Build();
        app.UseMiddleware<CallRecordingMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<MerchantAuthMiddleware>();
        app.MapTokens();
        app.MapMessageSends();
        app.MapAccount();
        app.MapFollowerList();
        app.MapLogins();
        app.MapMiniProgramShipping();
        app.MapPay();
        app.MapRefunds();
        app.MapSandboxPay();
        app.MapFollowers();
        app.MapControl();
        return app;
    }
}
