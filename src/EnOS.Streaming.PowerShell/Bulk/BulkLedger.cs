using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace EnOS.Streaming.Bulk
{
    /// <summary>What is known of a request that was sent and not reported when the command stopped.</summary>
    internal enum UnreportedOutcome
    {
        /// <summary>The service accepted it.</summary>
        Completed,

        /// <summary>Refused, or never reached the service: nothing changed.</summary>
        Refused,

        /// <summary>Cancelled in flight, or no answer: it may have changed something.</summary>
        Unknown,
    }

    /// <summary>
    /// Each request sent, kept until its item is reported, so that a run ended early (Ctrl+C,
    /// Select-Object -First) can still say what changed, what may have, and what did not.
    /// </summary>
    internal sealed class BulkLedger<TItem, TResult>
        where TItem : notnull
    {
        private readonly Dictionary<TItem, Task<TResult>> _unreported = new Dictionary<TItem, Task<TResult>>();

        public int Count => _unreported.Count;

        /// <summary>The item whose result is being written: Select-Object -First takes it, then stops the command.</summary>
        public TItem? Writing { get; set; }

        public void Sent(TItem item, Task<TResult> request) => _unreported[item] = request;

        /// <summary>The item's result or error has been written (or is about to be).</summary>
        public void Reported(TItem item) => _unreported.Remove(item);

        /// <summary>
        /// After a stop: lets the requests finish unless hurried (Ctrl+C), says what is known of each,
        /// and forgets them. A later command's stop came after it took the object being written,
        /// which so counts as reported.
        /// </summary>
        public IReadOnlyList<(TItem Item, UnreportedOutcome Outcome, TResult Result)> Settle(bool hurry, TimeSpan timeout)
        {
            if (!hurry)
            {
                if (Writing != null)
                {
                    Reported(Writing);
                }

                try
                {
                    Task.WaitAll(_unreported.Values.Cast<Task>().ToArray(), timeout);
                }
                catch (AggregateException)
                {
                    // Each failure is reported by its outcome.
                }
            }

            var settled = _unreported.Select(pair => (pair.Key, OutcomeOf(pair.Value), pair.Value.Status == TaskStatus.RanToCompletion ? pair.Value.Result : default!))
                .ToList();
            _unreported.Clear();
            return settled;
        }

        private static UnreportedOutcome OutcomeOf(Task<TResult> request) =>
            request.Status == TaskStatus.RanToCompletion ? UnreportedOutcome.Completed
            : request.IsFaulted && request.Exception!.GetBaseException() is EnosException { ChangedNothing: true } ? UnreportedOutcome.Refused
            : UnreportedOutcome.Unknown;
    }
}
