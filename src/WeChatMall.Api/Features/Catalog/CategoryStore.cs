using Dapper;
using MySqlConnector;

namespace WeChatMall.Api.Features.Catalog;

public sealed record CategoryDto(long Id, long? ParentId, string Name, int Sort, string? IconUrl);

public enum CategoryDeleteResult { Deleted, NotFound, HasChildren, HasProducts }

public sealed class CategoryStore(MySqlDataSource db)
{
    const string ListSql = "SELECT id, parent_id AS parentId, name, sort, icon_url AS iconUrl FROM catalog_categories ORDER BY sort, id";

    public async Task<IReadOnlyList<CategoryDto>> ListAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CategoryDto>(new CommandDefinition(ListSql, cancellationToken: ct))).ToList();
    }

    public async Task<CategoryDto?> FindAsync(long id, CancellationToken ct) => (await ListAsync(ct)).FirstOrDefault(c => c.Id == id);

    const string InsertSql = """
        INSERT INTO catalog_categories (parent_id, name, sort, icon_url, created_at, updated_at)
        VALUES (@parentId, @name, @sort, @iconUrl, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    public async Task<long> CreateAsync(CategoryRequest r, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql,
            new { r.ParentId, name = r.Name.Trim(), r.Sort, r.IconUrl, now }, cancellationToken: ct));
    }

    const string UpdateSql = """
        UPDATE catalog_categories SET parent_id = @parentId, name = @name, sort = @sort, icon_url = @iconUrl, updated_at = @now
        WHERE id = @id
        """;

    public async Task<bool> UpdateAsync(long id, CategoryRequest r, DateTime now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(UpdateSql,
            new { id, r.ParentId, name = r.Name.Trim(), r.Sort, r.IconUrl, now }, cancellationToken: ct)) == 1;
    }

    const string DeleteSql = """
        DELETE FROM catalog_categories WHERE id = @id
          AND NOT EXISTS(SELECT 1 FROM (SELECT id FROM catalog_categories WHERE parent_id = @id) AS children)
          AND NOT EXISTS(SELECT 1 FROM catalog_products WHERE category_id = @id)
        """;

    /// <summary>Only an empty leaf can go: products and sub-categories are never deleted implicitly.</summary>
    public async Task<CategoryDeleteResult> DeleteAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(DeleteSql, new { id }, cancellationToken: ct)) == 1) return CategoryDeleteResult.Deleted;
        var (exists, children) = await conn.QuerySingleAsync<(bool, bool)>(new CommandDefinition("""
            SELECT EXISTS(SELECT 1 FROM catalog_categories WHERE id = @id), EXISTS(SELECT 1 FROM catalog_categories WHERE parent_id = @id)
            """, new { id }, cancellationToken: ct));
        return !exists ? CategoryDeleteResult.NotFound : children ? CategoryDeleteResult.HasChildren : CategoryDeleteResult.HasProducts;
    }
}
