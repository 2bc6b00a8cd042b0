namespace WeChatMall.Api.Infrastructure.Auth;

/// <summary>What a role may do in an area: read (GET/HEAD) and/or write (every other method).</summary>
public readonly record struct AreaPermission(bool Read, bool Write)
{
    public static readonly AreaPermission None = new(false, false);
    public static readonly AreaPermission ReadOnly = new(true, false);
    public static readonly AreaPermission ReadWrite = new(true, true);
}

/// <summary>
/// The permission matrix, the only place it is written (docs/operators.md repeats it for people). An area missing from a
/// role's row is refused; a test checks every area of <see cref="AdminArea.All"/> has an entry for every role, and
/// every /admin operation of the OpenAPI document answers each role as this table says.
/// </summary>
public static class AdminPermissions
{
    static readonly AreaPermission N = AreaPermission.None, R = AreaPermission.ReadOnly, W = AreaPermission.ReadWrite;

    // Columns: owner, manager, operator (day-to-day service), marketer, viewer.
    static readonly Dictionary<AdminArea, AreaPermission[]> Matrix = new()
    {
        [AdminArea.AutoReplies] = [W, W, W, R, R],
        [AdminArea.Catalog] = [W, W, W, R, R],
        [AdminArea.Members] = [W, W, W, R, R],
        [AdminArea.ProductCodes] = [W, W, W, R, R],
        [AdminArea.Loyalty] = [W, W, R, R, R],
        [AdminArea.Orders] = [W, W, W, R, R],
        // Refunds give money back: a manager's call, not day-to-day service's.
        [AdminArea.Refunds] = [W, W, R, R, R],
        [AdminArea.Audience] = [W, W, R, W, R],
        [AdminArea.Channels] = [W, W, R, W, R],
        [AdminArea.Marketplace] = [W, W, R, R, R],
        [AdminArea.Metrics] = [W, W, R, R, R],
        [AdminArea.Offers] = [W, W, R, W, R],
        [AdminArea.Campaigns] = [W, W, R, W, R],
        // A campaign above Campaigns:ApprovalThreshold recipients waits for an owner's approval.
        [AdminArea.CampaignApproval] = [W, R, R, R, R],
        // Operators, API tokens and the audit log: only an owner changes who may do what; a manager may look.
        [AdminArea.Operators] = [W, R, N, N, N],
        // One's own session, password and second factor: everybody signed in as an operator.
        [AdminArea.Session] = [W, W, W, W, W],
    };

    public static AreaPermission For(string role, AdminArea area)
    {
        var column = role switch
        {
            AdminRole.Owner => 0,
            AdminRole.Manager => 1,
            AdminRole.Operator => 2,
            AdminRole.Marketer => 3,
            AdminRole.Viewer => 4,
            _ => -1,
        };
        return column >= 0 && Matrix.TryGetValue(area, out var row) ? row[column] : AreaPermission.None;
    }

    public static bool Allows(string role, AdminArea area, bool write)
    {
        var p = For(role, area);
        return write ? p.Write : p.Read;
    }

    /// <summary>GET and HEAD read; every other method writes.</summary>
    public static bool IsWrite(string method) => !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

    /// <summary>Areas listed in the matrix (a test compares them with <see cref="AdminArea.All"/>).</summary>
    public static IEnumerable<AdminArea> Areas => Matrix.Keys;
}
