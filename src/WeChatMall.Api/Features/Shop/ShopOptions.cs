namespace WeChatMall.Api.Features.Shop;

public sealed class ShopOptions
{
    public const string SectionName = "Shop";

    /// <summary>The built H5 shop (src/WeChatMall.Shop/dist/build/h5), served under /shop; empty serves nothing.</summary>
    public string H5Path { get; set; } = "";
}
