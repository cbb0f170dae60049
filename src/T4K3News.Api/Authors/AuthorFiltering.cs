using T4K3News.Content.Authors;
using T4K3News.GraphQLServer.Filtering;

namespace T4K3News.Api.Authors;

public static class AuthorFiltering
{
    public static readonly EntityFilter<Author> Filter = new EntityFilter<Author>()
        .String("slug", a => a.Slug)
        .String("name", a => a.Name);

    public static readonly EntitySort<Author> Sort = new EntitySort<Author>()
        .By("name", a => a.Name)
        .By("slug", a => a.Slug);
}

public sealed class AuthorFilterInputType() : FilterInputType<Author>("AuthorFilterInput", AuthorFiltering.Filter, typeof(AuthorFilterInputType));

public sealed class AuthorListFilterInputType() : ListFilterInputType<AuthorFilterInputType>("AuthorFilterInput");

public sealed class AuthorSortInputType() : SortInputType<Author>("AuthorSortInput", AuthorFiltering.Sort);
