using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class OrderedListsInTheArticleRow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var list in new[] { "Takeaways", "Quotes", "Highlights", "Callouts" })
            {
                // "[]", not the "{}" EF Core 10.0 scaffolds for a JSON collection.
                migrationBuilder.AddColumn<string>(
                    name: list,
                    table: "Articles",
                    type: "jsonb",
                    nullable: false,
                    defaultValue: "[]");
            }

            // Every article's items, in their order, as the JSON objects EF Core reads (property names as in C#).
            migrationBuilder.Sql("""
                UPDATE "Articles" AS a SET
                    "Takeaways" = COALESCE((SELECT jsonb_agg(jsonb_build_object('Text', t."Text") ORDER BY t."Position", t."Id")
                                            FROM "Takeaways" AS t WHERE t."ArticleId" = a."Id"), '[]'),
                    "Quotes" = COALESCE((SELECT jsonb_agg(jsonb_build_object('Text', q."Text", 'Speaker', q."Speaker", 'Context', q."Context") ORDER BY q."Position", q."Id")
                                         FROM "Quotes" AS q WHERE q."ArticleId" = a."Id"), '[]'),
                    "Highlights" = COALESCE((SELECT jsonb_agg(jsonb_build_object('Text', h."Text") ORDER BY h."Position", h."Id")
                                             FROM "Highlights" AS h WHERE h."ArticleId" = a."Id"), '[]'),
                    "Callouts" = COALESCE((SELECT jsonb_agg(jsonb_build_object('Title', c."Title", 'Body', c."Body") ORDER BY c."Position", c."Id")
                                           FROM "Callouts" AS c WHERE c."ArticleId" = a."Id"), '[]');
                """);

            migrationBuilder.DropTable(
                name: "Callouts");

            migrationBuilder.DropTable(
                name: "Highlights");

            migrationBuilder.DropTable(
                name: "Quotes");

            migrationBuilder.DropTable(
                name: "Takeaways");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Callouts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ArticleId = table.Column<int>(type: "integer", nullable: false),
                    Body = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Callouts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Callouts_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Highlights",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ArticleId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Highlights", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Highlights_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Quotes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ArticleId = table.Column<int>(type: "integer", nullable: false),
                    Context = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Speaker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Quotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Quotes_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Takeaways",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ArticleId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Takeaways", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Takeaways_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Callouts_ArticleId_Position",
                table: "Callouts",
                columns: new[] { "ArticleId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Highlights_ArticleId_Position",
                table: "Highlights",
                columns: new[] { "ArticleId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Quotes_ArticleId_Position",
                table: "Quotes",
                columns: new[] { "ArticleId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Takeaways_ArticleId_Position",
                table: "Takeaways",
                columns: new[] { "ArticleId", "Position" });

            migrationBuilder.Sql("""
                INSERT INTO "Takeaways" ("ArticleId", "Position", "Text")
                SELECT a."Id", item.position - 1, item.value ->> 'Text'
                FROM "Articles" AS a, jsonb_array_elements(a."Takeaways") WITH ORDINALITY AS item(value, position);
                INSERT INTO "Quotes" ("ArticleId", "Position", "Text", "Speaker", "Context")
                SELECT a."Id", item.position - 1, item.value ->> 'Text', item.value ->> 'Speaker', item.value ->> 'Context'
                FROM "Articles" AS a, jsonb_array_elements(a."Quotes") WITH ORDINALITY AS item(value, position);
                INSERT INTO "Highlights" ("ArticleId", "Position", "Text")
                SELECT a."Id", item.position - 1, item.value ->> 'Text'
                FROM "Articles" AS a, jsonb_array_elements(a."Highlights") WITH ORDINALITY AS item(value, position);
                INSERT INTO "Callouts" ("ArticleId", "Position", "Title", "Body")
                SELECT a."Id", item.position - 1, item.value ->> 'Title', item.value ->> 'Body'
                FROM "Articles" AS a, jsonb_array_elements(a."Callouts") WITH ORDINALITY AS item(value, position);
                """);

            migrationBuilder.DropColumn(
                name: "Callouts",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Highlights",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Quotes",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Takeaways",
                table: "Articles");
        }
    }
}
