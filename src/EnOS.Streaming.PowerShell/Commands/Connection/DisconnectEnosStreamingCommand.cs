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
            // Commands still running keep the connection; the ENOS_* one is the process's, not this runspace's to close.
            WriteVerbose(ModuleSession.Connect(null) != null
                ? "Disconnected; the token and the app secret are forgotten."
                : "There was no connection made by Connect-EnosStreaming in this session. The connection made from the ENOS_* variables, "
                  + "if any, is shared by every runspace of this process and stays; it is made again when the variables change.");
        }
    }
}
