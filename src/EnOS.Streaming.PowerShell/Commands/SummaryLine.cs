using System.Management.Automation;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// The one sentence a bulk command ends with ("12 written, 1 removed, 0 failed."), on the
    /// information stream with the tags EnOS.Streaming and Summary, so that a cron log holds
    /// something on a good night.
    /// </summary>
    internal static class SummaryLine
    {
        private static readonly string[] Tags = { "EnOS.Streaming", "Summary" };
        private static readonly string[] ShownTags = { "EnOS.Streaming", "Summary", "PSHOST" };

        /// <summary>
        /// The information stream is silent by default, so the line is shown the way Write-Host
        /// shows its text (the PSHOST tag) unless -InformationAction is given: then that decides
        /// (SilentlyContinue: kept only in -InformationVariable). 6>$null drops it either way.
        /// </summary>
        public static void Write(PSCmdlet cmdlet, string sentence)
        {
            if (cmdlet.MyInvocation.BoundParameters.ContainsKey("InformationAction"))
            {
                cmdlet.WriteInformation(sentence, Tags);
            }
            else
            {
                cmdlet.WriteInformation(new HostInformationMessage { Message = sentence }, ShownTags);
            }
        }
    }
}
