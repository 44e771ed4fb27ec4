using System;
using System.Management.Automation;
using System.Net;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Connects the module to a gateway and organisation with an app's key and secret, and checks
    /// them at once by getting a token.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "EnosStreaming")]
    [OutputType(typeof(EnosStreamingContext))]
    public sealed class ConnectEnosStreamingCommand : EnosCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public Uri GatewayUrl { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string OrgId { get; set; } = null!;

        /// <summary>User name = app key, password = app secret.</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetries { get; set; } = 4;

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        [Parameter]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            // PSCredential.Empty has no network credential at all.
            var appKey = Credential.UserName?.Trim() ?? string.Empty;
            var appSecret = Credential.GetNetworkCredential()?.Password ?? string.Empty;
            if (appKey.Length == 0 || string.IsNullOrEmpty(appSecret))
            {
                ThrowTerminatingError(EnosErrorRecords.ForFailure(
                    new ArgumentException("The credential needs the app key as its user name and the app secret as its password; one of them is empty."),
                    "Cannot connect", null));
            }

            var options = new StreamingClientOptions
            {
                MaxRetries = MaxRetries,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                AttemptTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSec, 30)),
                AllowInsecureHttp = AllowInsecureHttp.IsPresent,
                Proxy = Proxy == null ? null : new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() },
                // Without -Proxy, -ProxyCredential is for the system's proxy.
                SystemProxyCredentials = Proxy == null ? ProxyCredential?.GetNetworkCredential() : null,
            };

            StreamingConnection connection;
            try
            {
                connection = StreamingConnection.Create(GatewayUrl, OrgId.Trim(), new AppCredential(appKey, appSecret), options);
            }
            catch (ArgumentException exception)
            {
                // The target is shown in the record's CategoryInfo: never with a user:password@ in it.
                ThrowTerminating(exception, "Cannot connect", StreamingConnection.Shown(GatewayUrl));
                return;
            }

            WriteVerbose($"Connecting to {GatewayUrl} for organisation '{OrgId}' with app key '{appKey}'.");
            try
            {
                Pump.Run(connection.VerifyCredentialsAsync(CreateLog(), StopToken));
            }
            catch (Exception exception) when (exception is EnosApiException || exception is EnosTransportException)
            {
                connection.Dispose();
                // Said once: a failure to reach the gateway names it already.
                var namesGateway = exception is EnosTransportException transport
                                   && transport.Reason.IndexOf(GatewayUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.Ordinal) >= 0;
                ThrowTerminating(exception, namesGateway ? "Cannot connect" : $"Cannot connect to {GatewayUrl}", GatewayUrl);
                return;
            }
            catch
            {
                // Stopped (Ctrl+C) or failed otherwise: the connection is never used.
                connection.Dispose();
                throw;
            }

            var replaced = ModuleSession.Connect(connection);
            if (replaced != null && (!string.Equals(replaced.OrgId, connection.OrgId, StringComparison.Ordinal) || replaced.GatewayUrl != connection.GatewayUrl))
            {
                // Commands that follow act elsewhere than before: worth saying out loud.
                WriteWarning($"Replaced the connection to organisation '{DisplayText.Escape(replaced.OrgId)}' at {StreamingConnection.Shown(replaced.GatewayUrl)}: "
                             + $"commands in this session now use organisation '{DisplayText.Escape(connection.OrgId)}' at {StreamingConnection.Shown(connection.GatewayUrl)}.");
            }

            WriteVerbose($"Connected: the app key was accepted and a token obtained. Commands now use organisation '{connection.OrgId}'.");
            if (PassThru)
            {
                WriteObject(new EnosStreamingContext(connection, ModuleSession.ConnectSource));
            }
        }
    }

    /// <summary>
    /// Shows the connection this runspace's commands use: the one Connect-EnosStreaming made here,
    /// else the one the ENOS_* variables describe. Never the secret or the token.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EnosStreamingConnection")]
    [OutputType(typeof(EnosStreamingContext))]
    public sealed class GetEnosStreamingConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (!ModuleSession.HasConnection && !ModuleSession.EnvironmentIsSet)
            {
                // Like Get-AzContext: no connection is no output, not an error.
                WriteVerbose("Not connected: run Connect-EnosStreaming, or set the ENOS_* environment variables.");
                return;
            }

            try
            {
                using (var lease = ModuleSession.Resolve(out var source))
                {
                    WriteObject(new EnosStreamingContext(lease.Connection, source));
                }
            }
            catch (NotConnectedException exception)
            {
                // The variables are set but cannot be used: say why, as any command would.
                WriteError(EnosErrorRecords.ForFailure(exception, "Not connected", null));
            }
        }
    }

    /// <summary>Forgets the connection made by Connect-EnosStreaming.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "EnosStreaming")]
    [OutputType(typeof(void))]
    public sealed class DisconnectEnosStreamingCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            WriteVerbose(ModuleSession.Disconnect()
                ? "Disconnected; the token and the app secret are forgotten."
                : "There was no connection made by Connect-EnosStreaming; any token obtained with the ENOS_* variables is forgotten, "
                  + "and the next command reads them again.");
        }
    }
}
