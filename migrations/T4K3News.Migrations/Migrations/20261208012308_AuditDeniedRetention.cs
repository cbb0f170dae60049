using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace T4K3News.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class AuditDeniedRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At_DeniedWithoutToken",
                table: "AuditEntries",
                column: "At",
                filter: "\"Outcome\" = 'denied: AUTH_NOT_AUTHENTICATED'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_At_DeniedWithoutToken",
                table: "AuditEntries");
        }
    }
}
