using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Infrastructure.Http;

/// <summary>Which reverse proxies may tell us the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto).</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Addresses of our own proxies, e.g. 10.0.0.5. Empty (default): nobody is trusted and the headers are ignored.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of our own proxies in CIDR form, e.g. 10.0.0.0/24.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// Per-IP limits need the shopper's address, not the proxy's; but a header anyone can send must only be believed
    /// from a proxy we run. ASP.NET trusts loopback by default: that list is cleared, so only configured ones count.
    /// </summary>
    public static IServiceCollection AddForwardedHeadersFromSettings(this IServiceCollection services)
    {
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.SectionName)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Http:KnownProxies must be IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Http:KnownNetworks must be CIDR ranges such as 10.0.0.0/8.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((f, http) =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            f.KnownProxies.Clear();
            f.KnownIPNetworks.Clear();
            foreach (var proxy in http.Value.KnownProxies) f.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in http.Value.KnownNetworks) f.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            // Walk X-Forwarded-For from the right through every trusted hop; the first untrusted one is the client.
            f.ForwardLimit = null;
        });
        return services;
    }
}
