using System.Management.Automation;

namespace EnOS.Streaming.Bulk
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
        /// shows its text (the PSHOST tag), which $InformationPreference does not hide; an explicit
        /// -InformationAction decides instead (SilentlyContinue: kept for -InformationVariable, not
        /// shown). 6>$null drops it either way. The message is a HostInformationMessage both ways,
        /// so a script reads it alike ("$($record.MessageData)" is the sentence).
        /// </summary>
        public static void Write(PSCmdlet cmdlet, string sentence) =>
            cmdlet.WriteInformation(new HostInformationMessage { Message = sentence, NoNewLine = false },
                cmdlet.MyInvocation.BoundParameters.ContainsKey("InformationAction") ? Tags : ShownTags);
    }
}
