using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FirstPublication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "FirstPublishedAt",
                table: "Articles",
                type: "timestamp with time zone",
                nullable: true);

            // A published article was first published at its time, as far as anyone knows now.
            migrationBuilder.Sql("""
                UPDATE "Articles"
                SET "FirstPublishedAt" = "PublishedAt"
                WHERE "Status" = 'Published'
                """);

            // A seed article no editor has changed since its import was written at its document's date, not imported then.
            migrationBuilder.Sql("""
                UPDATE "Articles"
                SET "CreatedAt" = "PublishedAt", "UpdatedAt" = "PublishedAt"
                WHERE "SourceFile" IS NOT NULL
                  AND "Version" = "ImportedVersion"
                  AND "PublishedAt" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FirstPublishedAt",
                table: "Articles");
        }
    }
}
