namespace WeChatMall.Api.Features.DevSandbox;

/// <param name="OpenId">The sandbox user to sign in as; a new one when null (the code's openid is answered).</param>
public sealed record DevLoginCodeRequest(string? OpenId = null);

/// <summary>A one-time code minted by the sandbox, as wx.login (or a getPhoneNumber button) would hand it to the client.</summary>
public sealed record DevCodeDto(string Code, string? OpenId);

public sealed record DevPhoneCodeRequest(string PurePhoneNumber);

/// <summary>The sandbox cashier approved the payment; WeChat Pay's TRANSACTION.SUCCESS is on its way to /pay/notify.</summary>
public sealed record DevPaymentApprovedDto(string OrderNo, string TransactionId);
