namespace WeChatMall.Api.Features.Members;

/// <summary>The values of member_identities.kind.</summary>
public static class IdentityKind
{
    public const string MiniProgramOpenId = "mp_openid";
    public const string OfficialAccountOpenId = "oa_openid";
    public const string UnionId = "unionid";
    public const string Phone = "phone";
}
