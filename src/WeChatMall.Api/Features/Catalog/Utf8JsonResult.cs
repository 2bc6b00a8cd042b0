using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// 200 with JSON that was serialized earlier (and is shared between requests). Declares <typeparamref name="T"/>
/// as the response schema, so the OpenAPI document is the same as for <c>Ok&lt;T&gt;</c>.
/// </summary>
public sealed class Utf8JsonResult<T>(byte[] utf8Json) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = utf8Json.Length;
        return httpContext.Response.Body.WriteAsync(utf8Json, httpContext.RequestAborted).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
