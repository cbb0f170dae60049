using T4K3News.Tests.Infrastructure;

namespace T4K3News.Tests.Commands;

/// <summary>The host's command line as an operator meets it: help, and refusals that say what was wrong. None of it needs a database.</summary>
public sealed class CommandLineTests
{
    // Nothing listens there: a command that reached for the database would fail instead of answering.
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=1";

    [Fact]
    public async Task Help_for_tokens_create_lists_its_options_and_exits_0()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(NoDatabase, "tokens", "create", "--help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("tokens create [options]", output);
        Assert.Contains("--name <name> (REQUIRED)", output);
        Assert.Contains("--role <editor|admin|reader> (REQUIRED)", output);
        Assert.Contains("--expires <30d|12h>", output);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(NoDatabase, "--help");

        Assert.True(exitCode == 0, output);
        Assert.Contains("import <folder>", output);
        Assert.Contains("schema", output);
        Assert.Contains("tokens", output);
        Assert.Contains("persisted-queries", output);
    }

    [Fact]
    public async Task An_unknown_command_is_refused_with_a_message_instead_of_starting_the_server()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(NoDatabase, "tokns", "list");

        Assert.Equal(64, exitCode);
        Assert.Contains("Unrecognized command or argument 'tokns'.", output);
        Assert.Contains("Did you mean one of the following?", output);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public async Task An_unknown_option_is_refused_with_a_message_and_the_commands_usage()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(NoDatabase, "tokens", "create", "--name", "x", "--role", "editor", "--expire", "30d");

        Assert.Equal(64, exitCode);
        Assert.Contains("Unrecognized command or argument '--expire'.", output);
        Assert.Contains("Usage:\n  T4K3News.Api tokens create [options]", output);
    }

    [Fact]
    public async Task A_value_the_option_does_not_take_is_refused_with_what_it_takes()
    {
        var (exitCode, output) = await ApiCommand.RunAsync(NoDatabase, "tokens", "create", "--name", "x", "--role", "editor", "--expires", "3w");

        Assert.Equal(64, exitCode);
        Assert.Contains("--expires takes a number of days or hours, e.g. 30d or 12h.", output);
    }
}
