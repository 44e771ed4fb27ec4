using System.Net;
using EnOS.Streaming.Emulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

EmulatorOptions options;
try
{
    if (args is ["--help"] or ["-h"])
    {
        Console.Error.WriteLine(EmulatorOptions.Usage);
        return 0;
    }
    options = EmulatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EmulatorOptions.Usage);
    return 2;
}

// The arguments are ours, not configuration keys: the builder must not see them.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });

// Stdout carries exactly one line (the listening address) that parents wait for;
// everything else goes to stderr, and only warnings and worse.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
// One of each part for the emulator's life; the container finds what each needs.
Type[] parts =
[
    typeof(EmulatorStats), typeof(RequestLog), typeof(FaultInjector), typeof(GatewayLimits), typeof(ListingLies), typeof(HostileAnswers),
    typeof(TokenService), typeof(PipelineStore), typeof(PipelineTransitions), typeof(SignatureVerifier), typeof(PipelineLifecycle),
    typeof(StreamingApi), typeof(AdminApi), typeof(RequestDispatcher),
];
foreach (var part in parts)
{
    builder.Services.AddSingleton(part);
}

await using var app = builder.Build();
app.Run(app.Services.GetRequiredService<RequestDispatcher>().InvokeAsync);

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    // Typically the requested port is taken.
    Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{options.Port}: {e.Message}");
    return 1;
}

var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
var port = new Uri(address).Port;
Console.Out.WriteLine($"EMULATOR LISTENING http://127.0.0.1:{port}");
Console.Out.Flush();

if (options.ExitOnStdinClose)
{
    // A parent that dies closes our stdin: leave with it rather than linger as an orphan.
    var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
    _ = Task.Factory.StartNew(() =>
    {
        using var stdin = Console.OpenStandardInput();
        stdin.CopyTo(Stream.Null);
        lifetime.StopApplication();
    }, TaskCreationOptions.LongRunning);
}

await app.WaitForShutdownAsync();
return 0;
