using Microsoft.Extensions.DependencyInjection;
using T4K3News.Api;
using T4K3News.Api.Commands;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Schema;

public sealed class SchemaContractTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    public static readonly string SchemaFile = Path.Combine(RepositoryPaths.Root, "src", "T4K3News.Api", "schema.graphql");

    [Fact]
    public void The_live_schema_is_the_checked_in_schema_file()
    {
        var live = SchemaCommand.PrintSchema(api.Services.GetRequiredService<ContentSchema>());

        Assert.True(File.ReadAllText(SchemaFile) == live,
            "The schema changed. Review the difference, then refresh the contract with: dotnet run --project src/T4K3News.Api -- schema src/T4K3News.Api/schema.graphql");
    }

    [Fact]
    public void The_schema_follows_the_HotChocolate_conventions_front_ends_rely_on()
    {
        var schema = File.ReadAllText(SchemaFile);

        Assert.Contains("interface Node {", schema);
        Assert.Contains("type Article implements Node {", schema);
        Assert.Contains("type Tag implements Node {", schema);
        Assert.Contains("node(\n    \"ID of the object.\"\n    id: ID!): Node", schema);
        Assert.Contains("articles(", schema);
        Assert.Contains("type ArticlesConnection {", schema);
        Assert.Contains("pageInfo: PageInfo!", schema);
        Assert.Contains("totalCount: Int!", schema);
        Assert.Contains("input StringOperationFilterInput {", schema);
        Assert.Contains("enum SortEnumType {", schema);
    }
}
