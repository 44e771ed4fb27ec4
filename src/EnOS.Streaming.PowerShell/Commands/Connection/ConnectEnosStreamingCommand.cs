using System;
using System.Management.Automation;
using System.Net;
using EnOS.Streaming.Authentication;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Connects to a gateway and organisation, checked at once (a token, one listing page). A Connect
    /// that fails lets the previous connection go, with a warning, so that a loop over organisations
    /// never acts on the previous one.
    /// </summary>
    /// <remarks>
    /// Given none of -GatewayUrl, -OrgId and -Credential, it asks for them itself: PowerShell's prompt
    /// takes an empty answer and goes on, so a blank URL would be refused only after the credential.
    /// </remarks>
    [Cmdlet(VerbsCommunications.Connect, "EnosStreaming", DefaultParameterSetName = PromptSet)]
    [OutputType(typeof(EnosStreamingContext))]
    public sealed class ConnectEnosStreamingCommand : EnosCmdlet
    {
        private const string ExplicitSet = "Explicit";
        private const string PromptSet = "Prompt";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ExplicitSet)]
        [ValidateNotNull]
        public Uri GatewayUrl { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ExplicitSet)]
        [ValidateNotNullOrEmpty]
        public string OrgId { get; set; } = null!;

        /// <summary>User name = app key, password = app secret.</summary>
        [Parameter(Mandatory = true, Position = 2, ParameterSetName = ExplicitSet)]
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
            try
            {
                if (ParameterSetName == PromptSet)
                {
                    PromptForConnection();
                }

                // PSCredential.Empty has no network credential at all.
                var appKey = Credential.UserName?.Trim() ?? string.Empty;
                var appSecret = Credential.GetNetworkCredential()?.Password ?? string.Empty;
                if (appKey.Length == 0 || string.IsNullOrEmpty(appSecret))
                {
                    CannotConnect("The credential needs the app key as its user name and the app secret as its password; one of them is empty.");
                }

                var connection = CreateConnection(appKey, appSecret);
                WriteVerbose($"Connecting to {GatewayUrl} for organisation '{OrgId}' with app key '{appKey}'.");
                Verify(connection);
                Adopt(connection);
                WriteVerbose($"Connected: the app key was accepted, a token obtained and organisation '{connection.OrgId}' listed. Commands now use it.");
                if (PassThru)
                {
                    WriteObject(new EnosStreamingContext(connection, ModuleSession.ConnectSource));
                }
            }
            catch
            {
                ForgetPrevious();
                throw;
            }
        }

        private StreamingConnection CreateConnection(string appKey, string appSecret)
        {
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

            try
            {
                return StreamingConnection.Create(GatewayUrl, OrgId.Trim(), new AppCredential(appKey, appSecret), options);
            }
            catch (ArgumentException exception)
            {
                // The target is shown in the record's CategoryInfo: never with a user:password@ in it.
                ThrowTerminating(exception, "Cannot connect", StreamingConnection.Shown(GatewayUrl));
                throw;
            }
        }

        /// <summary>A token and one listing page, so that wrong credentials or organisation fail here, not at the first command.</summary>
        private void Verify(StreamingConnection connection)
        {
            try
            {
                var log = CreateLog();
                Pump.Run(connection.VerifyCredentialsAsync(log, StopToken));
                Pump.Run(connection.CreateClient(log).CheckOrganisationAsync(connection.OrgId, StopToken));
            }
            catch (Exception exception)
            {
                // However it failed (Ctrl+C too), the connection is never used.
                connection.Dispose();
                if (exception is EnosApiException { Code: EnosErrorCodes.NoPrivilege } refused)
                {
                    ThrowTerminatingError(EnosErrorRecords.ForOrganisationNotFound(refused, connection.OrgId, StreamingConnection.Shown(GatewayUrl)));
                }
                else if (exception is EnosException failure)
                {
                    // Said once: a failure to reach the gateway names it already.
                    var namesGateway = failure is EnosTransportException { UnreachedGateway: not null };
                    ThrowTerminating(failure, namesGateway ? "Cannot connect" : $"Cannot connect to {GatewayUrl}", GatewayUrl);
                }

                throw;
            }
        }

        /// <summary>After a failed Connect: the previous connection is let go, and the user told.</summary>
        private void ForgetPrevious()
        {
            var forgotten = ModuleSession.Connect(null);
            if (forgotten == null || Stopping)
            {
                return;
            }

            var next = Session.EnvironmentConnection.IsSet
                ? "commands in this session now use the ENOS_* environment variables, if they are complete"
                : "commands in this session have no connection until Connect-EnosStreaming succeeds";
            WriteWarning($"Connect-EnosStreaming failed, so the previous connection to organisation '{DisplayText.Escape(forgotten.OrgId)}' at "
                         + $"{StreamingConnection.Shown(forgotten.GatewayUrl)} was closed: {next}.");
        }

        /// <summary>Makes the connection this runspace's, warning when commands now act elsewhere than before.</summary>
        private void Adopt(StreamingConnection connection)
        {
            var replaced = ModuleSession.Connect(connection);
            if (replaced != null && (!string.Equals(replaced.OrgId, connection.OrgId, StringComparison.Ordinal) || replaced.GatewayUrl != connection.GatewayUrl))
            {
                // Commands that follow act elsewhere than before: worth saying out loud.
                WriteWarning($"Replaced the connection to organisation '{DisplayText.Escape(replaced.OrgId)}' at {StreamingConnection.Shown(replaced.GatewayUrl)}: "
                             + $"commands in this session now use organisation '{DisplayText.Escape(connection.OrgId)}' at {StreamingConnection.Shown(connection.GatewayUrl)}.");
            }
        }

        /// <summary>Asks for a usable gateway URL, the organisation, the credential; where nobody can answer, ends saying what to pass.</summary>
        private void PromptForConnection()
        {
            try
            {
                var ui = Host?.UI ?? throw new PSInvalidOperationException("The host has no user interface to prompt with.");
                for (var tries = 0; GatewayUrl == null; tries++)
                {
                    var text = Ask(ui, nameof(GatewayUrl), first: tries == 0)?.ToString();
                    var problem = string.IsNullOrWhiteSpace(text)
                        ? "The gateway URL is empty; give it as https://<apigw-address>."
                        : !Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var url)
                            ? $"'{StreamingConnection.WithoutUserInfo(text.Trim())}' is not an absolute URL; give it as https://<apigw-address>."
                            : StreamingConnection.GatewayUrlProblem(url, AllowInsecureHttp.IsPresent);
                    if (problem == null)
                    {
                        GatewayUrl = new Uri(text!.Trim(), UriKind.Absolute);
                    }
                    else if (tries >= 4)
                    {
                        CannotConnect(problem);
                    }
                    else
                    {
                        ui.WriteErrorLine(problem);
                    }
                }

                while (string.IsNullOrWhiteSpace(OrgId))
                {
                    OrgId = Ask(ui, nameof(OrgId), first: false)?.ToString() ?? string.Empty;
                }

                Credential = ui.PromptForCredential("EnOS application",
                    "The app key (as the user name) and the app secret (as the password) of the EnOS application.", string.Empty, string.Empty)
                    ?? PSCredential.Empty;
            }
            catch (Exception exception) when (CannotPrompt(exception))
            {
                // The host cannot prompt (-NonInteractive).
                CannotConnect("Connect-EnosStreaming needs -GatewayUrl, -OrgId and -Credential, and this session cannot prompt for them.");
            }
        }

        private void CannotConnect(string problem) => ThrowTerminating(new ArgumentException(problem), "Cannot connect", null);
    }
}
