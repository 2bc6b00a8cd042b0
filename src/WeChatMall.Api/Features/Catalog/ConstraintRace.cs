using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Catalog;

/// <summary>A unique or foreign key lost a race with another write after validation passed: 409 CONCURRENT_CHANGE.</summary>
static class ConstraintRace
{
    public static bool Caught(MySqlException ex) => ex.ErrorCode is MySqlErrorCode.DuplicateKeyEntry
        or MySqlErrorCode.RowIsReferenced2 or MySqlErrorCode.NoReferencedRow2;

    public static ProblemHttpResult Problem() =>
        Problems.Conflict("CONCURRENT_CHANGE", "A concurrent change conflicts with this one; reload and retry");
}
