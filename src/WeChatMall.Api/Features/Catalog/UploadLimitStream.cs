namespace WeChatMall.Api.Features.Catalog;

/// <summary>Thrown by <see cref="UploadLimitStream"/> when an upload is longer than its limit.</summary>
public sealed class UploadTooLargeException(long limit) : IOException($"The upload is larger than {limit} bytes.");

/// <summary>
/// A read-only view of a request body that fails once more than <c>limit</c> bytes were read, so a parser that
/// streams the body never reads past the limit, whatever Content-Length said (or when it said nothing).
/// </summary>
public sealed class UploadLimitStream(Stream inner, long limit) : Stream
{
    long _read;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        Count(await inner.ReadAsync(buffer, ct));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    int Count(int n)
    {
        _read += n;
        if (_read > limit) throw new UploadTooLargeException(limit);
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
