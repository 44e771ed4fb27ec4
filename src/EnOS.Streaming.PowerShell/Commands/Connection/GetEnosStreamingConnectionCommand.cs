using System.Management.Automation;
using EnOS.Streaming.Errors;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Commands
{
    /// <summary>Shows the connection this runspace's commands use, never its secret or token.</summary>
    [Cmdlet(VerbsCommon.Get, "EnosStreamingConnection")]
    [OutputType(typeof(EnosStreamingContext))]
    public sealed class GetEnosStreamingConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (!ModuleSession.HasConnection && !EnvironmentConnection.IsSet)
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
}
