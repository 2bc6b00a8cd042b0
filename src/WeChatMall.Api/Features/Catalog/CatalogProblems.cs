using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

static class CatalogProblems
{
    public static ProblemHttpResult Conflict(string title, string code) => TypedResults.Problem(
        title: title, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>A unique or foreign key lost a race with another write after validation passed.</summary>
    public static bool IsConstraintRace(MySqlException ex) => ex.ErrorCode is MySqlErrorCode.DuplicateKeyEntry
        or MySqlErrorCode.RowIsReferenced2 or MySqlErrorCode.NoReferencedRow2;

    public static ProblemHttpResult Race() => Conflict("A concurrent change conflicts with this one; reload and retry", "CONCURRENT_CHANGE");
}
