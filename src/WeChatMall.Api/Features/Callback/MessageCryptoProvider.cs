using Microsoft.Extensions.Options;
using WeChatMall.WeChat;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Api.Features.Callback;

/// <summary>One <see cref="MessageCrypto"/> built from the options; null when no EncodingAESKey is configured.</summary>
public sealed class MessageCryptoProvider(IOptions<WeChatOptions> options)
{
    private readonly Lazy<MessageCrypto?> crypto = new(() =>
        string.IsNullOrEmpty(options.Value.OfficialAccount.EncodingAESKey) ? null : MessageCrypto.FromOptions(options.Value.OfficialAccount));

    public MessageCrypto? Crypto => crypto.Value;
}
