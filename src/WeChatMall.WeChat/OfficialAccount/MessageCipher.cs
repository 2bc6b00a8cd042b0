using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.WeChat.OfficialAccount;

// One AES key of the WXBizMsgCrypt scheme: AES-256-CBC, IV = first 16 key bytes, PKCS#7 over 32-byte blocks.
sealed class MessageCipher
{
    const int PadBlock = 32;
    const int MaxPooled = 32;
    readonly byte[] _key;
    // Aes objects are not documented as thread-safe, so each call borrows one; keeping them saves creating and keying
    // one per message (the callback encrypts or decrypts on every safe-mode request).
    readonly ConcurrentQueue<Aes> _pool = new();

    public MessageCipher(string encodingAesKey)
    {
        var buffer = new byte[33];
        if (encodingAesKey is not { Length: 43 }
            || !Convert.TryFromBase64String(encodingAesKey + "=", buffer, out var written) || written != 32)
            throw new WeChatCryptoException(WeChatCryptoError.InvalidAesKey, "EncodingAESKey must be 43 base64 characters.");
        _key = buffer[..32];
    }

    public string Encrypt(string message, string appId, ReadOnlySpan<byte> random16)
    {
        if (random16.Length != 16) throw new ArgumentException("16 random bytes are required.", nameof(random16));
        var msg = Encoding.UTF8.GetBytes(message);
        var app = Encoding.UTF8.GetBytes(appId);
        var length = 20 + msg.Length + app.Length;
        // Always pad, 1..32 bytes: WeChat rejects a reply whose aligned plaintext was left unpadded.
        var pad = PadBlock - length % PadBlock;
        var plain = new byte[length + pad];
        random16.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16), (uint)msg.Length);
        msg.CopyTo(plain, 20);
        app.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(length).Fill((byte)pad);
        var aes = Rent();
        try { return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None)); }
        finally { Return(aes); }
    }

    public string Decrypt(byte[] cipher, string expectedAppId)
    {
        if (cipher.Length == 0 || cipher.Length % PadBlock != 0)
            throw new WeChatCryptoException(WeChatCryptoError.InvalidLength, "Ciphertext is not a whole number of 32-byte blocks.");
        // PaddingMode.PKCS7 would reject pads 17..32, which WeChat produces for about half of all messages.
        var aes = Rent();
        byte[] plain;
        try { plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None); }
        finally { Return(aes); }
        var pad = plain[^1];
        if (pad is < 1 or > PadBlock || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
            throw new WeChatCryptoException(WeChatCryptoError.InvalidPadding, "Invalid 32-byte PKCS#7 padding.");
        var body = plain.AsSpan(0, plain.Length - pad);
        if (body.Length < 20)
            throw new WeChatCryptoException(WeChatCryptoError.InvalidLength, "Decrypted payload is too short.");
        var msgLength = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        if (msgLength > (uint)(body.Length - 20))
            throw new WeChatCryptoException(WeChatCryptoError.InvalidLength, "Message length exceeds the payload.");
        if (!AppIdEquals(body[(20 + (int)msgLength)..], expectedAppId))
            throw new WeChatCryptoException(WeChatCryptoError.AppIdMismatch, "The AppId inside the message does not match.");
        return Encoding.UTF8.GetString(body.Slice(20, (int)msgLength));
    }

    static bool AppIdEquals(ReadOnlySpan<byte> utf8, string expected)
    {
        Span<byte> buffer = stackalloc byte[128];
        return Encoding.UTF8.GetMaxByteCount(expected.Length) <= buffer.Length
            ? utf8.SequenceEqual(buffer[..Encoding.UTF8.GetBytes(expected, buffer)])
            : string.Equals(Encoding.UTF8.GetString(utf8), expected, StringComparison.Ordinal);
    }

    Aes Rent()
    {
        if (_pool.TryDequeue(out var aes)) return aes;
        aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    void Return(Aes aes)
    {
        if (_pool.Count < MaxPooled) _pool.Enqueue(aes);
        else aes.Dispose();
    }
}
