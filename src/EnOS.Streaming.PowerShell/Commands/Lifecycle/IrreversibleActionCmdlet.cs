using System.Management.Automation;
using EnOS.Streaming.Errors;

namespace EnOS.Streaming.Commands
{
    /// <summary>A state change that cannot be undone (ConfirmImpact High): it asks first, unless -Force is given.</summary>
    public abstract class IrreversibleActionCmdlet : PipelineActionCmdlet
    {
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// -Force goes ahead unless -WhatIf or an explicit -Confirm; where nobody can answer, ends with
        /// EnosConfirmationRequired saying how to go ahead, rather than PowerShell's bare error.
        /// </summary>
        protected override bool Confirm(PipelineTarget target)
        {
            if (Force && !WhatIfRequested && !SwitchGiven("Confirm"))
            {
                return true;
            }

            try
            {
                return base.Confirm(target);
            }
            catch (PSInvalidOperationException exception)
            {
                ThrowTerminatingError(EnosErrorRecords.ForConfirmationUnavailable(exception, MyInvocation.MyCommand.Name, target.PipelineId));
                throw;
            }
        }
    }
}
