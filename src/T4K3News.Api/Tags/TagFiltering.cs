using T4K3News.GraphQLServer.Filtering;
using T4K3News.Content.Tags;

namespace T4K3News.Api.Tags;

public static class TagFiltering
{
    public static readonly EntityFilter<Tag> Filter = new EntityFilter<Tag>()
        .String("slug", t => t.Slug)
        .String("name", t => t.Name);

    public static readonly EntitySort<Tag> Sort = new EntitySort<Tag>()
        .By("name", t => t.Name)
        .By("slug", t => t.Slug);
}

public sealed class TagFilterInputType() : FilterInputType<Tag>("TagFilterInput", TagFiltering.Filter, typeof(TagFilterInputType));

public sealed class TagListFilterInputType() : ListFilterInputType<TagFilterInputType>("TagFilterInput");

public sealed class TagSortInputType() : SortInputType<Tag>("TagSortInput", TagFiltering.Sort);
