using System.Management.Automation;
using EnOS.Streaming.Session;

namespace EnOS.Streaming.Commands
{
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
