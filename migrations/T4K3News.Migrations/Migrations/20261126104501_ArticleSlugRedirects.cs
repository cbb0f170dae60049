using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ArticleSlugRedirects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ArticleSlugHistory",
                columns: table => new
                {
                    Slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ArticleId = table.Column<int>(type: "integer", nullable: false),
                    ReplacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticleSlugHistory", x => x.Slug);
                    table.ForeignKey(
                        name: "FK_ArticleSlugHistory_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleSlugHistory_ArticleId",
                table: "ArticleSlugHistory",
                column: "ArticleId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArticleSlugHistory");
        }
    }
}
