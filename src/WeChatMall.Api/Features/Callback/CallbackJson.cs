using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeChatMall.Api.Features.Callback;

/// <summary>
/// The queued event's JSON, source-generated (no reflection, UTF-8 straight into and out of Redis). Same shape as
/// <see cref="JsonSerializerOptions.Web"/>, so entries queued by an older instance still read.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RecordedCallback))]
internal sealed partial class CallbackJson : JsonSerializerContext;
