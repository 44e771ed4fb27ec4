using System;
using System.Management.Automation;
using EnOS.Streaming.Threading;

namespace EnOS.Streaming.Commands
{
    /// <summary>
    /// Writes a bulk command's error records, one per failed item, knowing that under
    /// -ErrorAction Stop the first one ends the command. Requests already sent may have changed
    /// pipelines, so their results are written before that error (once it is written, nothing
    /// more can be), nothing new is started after it, and later failures become warnings.
    /// </summary>
    internal sealed class ItemErrorWriter
    {
        private readonly PipelineThreadPump _pump;
        private readonly Func<bool> _errorsStop;
        private readonly Action<ErrorRecord> _writeError;
        private readonly Action<string> _writeWarning;

        public ItemErrorWriter(PipelineThreadPump pump, Func<bool> errorsStop, Action<ErrorRecord> writeError, Action<string> writeWarning)
        {
            _pump = pump;
            _errorsStop = errorsStop;
            _writeError = writeError;
            _writeWarning = writeWarning;
        }

        /// <summary>True once an error that ends the command is on its way: nothing new may start.</summary>
        public bool Ending { get; private set; }

        /// <summary>
        /// Writes one item's error, or once the command is ending, a warning (and returns false);
        /// <paramref name="reported"/> runs just before, when the item counts as told.
        /// </summary>
        public bool Write(ErrorRecord record, Action? reported = null)
        {
            if (Ending)
            {
                reported?.Invoke();
                _writeWarning($"Also failed: {record}");
                return false;
            }

            DrainIfErrorsStop();
            reported?.Invoke();
            _writeError(record);
            return true;
        }

        /// <summary>
        /// Called just before an error is written: under -ErrorAction Stop, waits for the requests
        /// already sent and writes their results first.
        /// </summary>
        public void DrainIfErrorsStop()
        {
            if (!Ending && _errorsStop())
            {
                Ending = true;
                _pump.WaitForAll();
            }
        }

        /// <summary>The command ends on a terminating error of its own (refused credentials): later failures are warned of.</summary>
        public void MarkEnding() => Ending = true;
    }
}
