using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class HardeningStores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Bytes",
                table: "PersistedQueries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastUsedAt",
                table: "PersistedQueries",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Documents stored before the quota: their size, and their creation as their last known use.
            migrationBuilder.Sql("""UPDATE "PersistedQueries" SET "Bytes" = octet_length("Document"), "LastUsedAt" = "CreatedAt";""");

            migrationBuilder.AlterColumn<string>(
                name: "Outcome",
                table: "AuditEntries",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(50)",
                oldMaxLength: 50);

            migrationBuilder.CreateTable(
                name: "DeletedSeedSources",
                columns: table => new
                {
                    SourceFile = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeletedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletedSeedSources", x => x.SourceFile);
                });

            migrationBuilder.CreateTable(
                name: "DeletedTags",
                columns: table => new
                {
                    Slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeletedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletedTags", x => x.Slug);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersistedQueries_Automatic_LastUsedAt",
                table: "PersistedQueries",
                columns: new[] { "LastUsedAt", "Hash" },
                descending: new[] { true, false },
                filter: "NOT \"IsRegistered\"")
                .Annotation("Npgsql:IndexInclude", new[] { "Bytes" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletedSeedSources");

            migrationBuilder.DropTable(
                name: "DeletedTags");

            migrationBuilder.DropIndex(
                name: "IX_PersistedQueries_Automatic_LastUsedAt",
                table: "PersistedQueries");

            migrationBuilder.DropColumn(
                name: "Bytes",
                table: "PersistedQueries");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "PersistedQueries");

            migrationBuilder.AlterColumn<string>(
                name: "Outcome",
                table: "AuditEntries",
                type: "character varying(50)",
                maxLength: 50,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);
        }
    }
}
