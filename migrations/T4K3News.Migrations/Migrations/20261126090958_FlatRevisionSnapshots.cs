using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FlatRevisionSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A revision keeps the article's fields side by side, as the entity declares them: the nested "content"
            // goes, and takeaways and highlights become objects (text) as they are on the article.
            migrationBuilder.Sql("""
                UPDATE "ArticleRevisions" SET "Snapshot" = ("Snapshot" - 'content') || ("Snapshot" -> 'content') || jsonb_build_object(
                    'takeaways', (SELECT COALESCE(jsonb_agg(jsonb_build_object('text', item.value) ORDER BY item.position), '[]')
                                  FROM jsonb_array_elements_text("Snapshot" -> 'content' -> 'takeaways') WITH ORDINALITY AS item(value, position)),
                    'highlights', (SELECT COALESCE(jsonb_agg(jsonb_build_object('text', item.value) ORDER BY item.position), '[]')
                                   FROM jsonb_array_elements_text("Snapshot" -> 'content' -> 'highlights') WITH ORDINALITY AS item(value, position)))
                WHERE "Snapshot" ? 'content';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "ArticleRevisions" SET "Snapshot" = jsonb_build_object(
                    'slug', "Snapshot" -> 'slug', 'status', "Snapshot" -> 'status', 'publishedAt', "Snapshot" -> 'publishedAt',
                    'tagIds', "Snapshot" -> 'tagIds', 'relatedArticleIds', "Snapshot" -> 'relatedArticleIds',
                    'content', ("Snapshot" - 'slug' - 'status' - 'publishedAt' - 'tagIds' - 'relatedArticleIds') || jsonb_build_object(
                        'takeaways', (SELECT COALESCE(jsonb_agg(item.value -> 'text' ORDER BY item.position), '[]')
                                      FROM jsonb_array_elements("Snapshot" -> 'takeaways') WITH ORDINALITY AS item(value, position)),
                        'highlights', (SELECT COALESCE(jsonb_agg(item.value -> 'text' ORDER BY item.position), '[]')
                                       FROM jsonb_array_elements("Snapshot" -> 'highlights') WITH ORDINALITY AS item(value, position))))
                WHERE NOT "Snapshot" ? 'content';
                """);
        }
    }
}
