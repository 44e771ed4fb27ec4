using System.Management.Automation;

namespace EnOS.Streaming.Bulk
{
    /// <summary>
    /// The one sentence a bulk command ends with ("12 written, 1 removed, 0 failed."), tagged
    /// EnOS.Streaming and Summary, so that a cron log holds something on a good night.
    /// </summary>
    internal static class SummaryLine
    {
        private static readonly string[] Tags = { "EnOS.Streaming", "Summary" };
        private static readonly string[] ShownTags = { "EnOS.Streaming", "Summary", "PSHOST" };

        /// <summary>
        /// Shown as Write-Host shows text (the PSHOST tag), since the information stream is silent by
        /// default, unless -InformationAction is given; 6>$null drops it. A HostInformationMessage both
        /// ways, so "$($record.MessageData)" is the sentence.
        /// </summary>
        public static void Write(PSCmdlet cmdlet, string sentence) =>
            cmdlet.WriteInformation(new HostInformationMessage { Message = sentence, NoNewLine = false },
                cmdlet.MyInvocation.BoundParameters.ContainsKey("InformationAction") ? Tags : ShownTags);
    }
}
