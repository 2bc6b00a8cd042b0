namespace WeChatMall.Api.Infrastructure.Http;

public static class BenchEndpoints
{
    /// <summary>The bare-Kestrel baseline of scripts/bench.sh; mapped only when Bench:Enabled is true.</summary>
    public static void MapBench(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<bool>("Bench:Enabled"))
            app.MapGet("/bench/hello", () => "Hello, World!").ExcludeFromDescription();
    }
}
