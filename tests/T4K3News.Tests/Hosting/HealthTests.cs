using System.Net;
using T4K3News.Tests.Http;
using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Hosting;

public sealed class HealthTests(EmptyContentApi api) : IClassFixture<EmptyContentApi>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task A_running_server_with_its_database_is_live_and_ready(string path)
    {
        using var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

public sealed class HealthWithoutDatabaseTests(UnreachableDatabaseApi api) : IClassFixture<UnreachableDatabaseApi>
{
    [Fact]
    public async Task Without_its_database_the_server_is_live_but_not_ready_and_says_no_more()
    {
        using var client = api.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
    }
}
