using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace EnOS.Streaming.Commands
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
    /// The requests a bulk command has sent and not yet reported (by an object, a verbose line or
    /// an error record): what the user must be told about if PowerShell ends the command first
    /// (Ctrl+C, Select-Object -First), so that nothing changes silently.
    /// </summary>
    internal sealed class UnreportedRequests<TKey, TResult>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, Task<TResult>> _requests = new Dictionary<TKey, Task<TResult>>();

        public int Count => _requests.Count;

        public void Add(TKey key, Task<TResult> request) => _requests[key] = request;

        public void Reported(TKey key) => _requests.Remove(key);

        /// <summary>
        /// After a stop: lets the requests already sent finish, unless the user asked to hurry
        /// (Ctrl+C), so that the report is exact; then says what is known of each, and forgets them.
        /// </summary>
        public IReadOnlyList<(TKey Key, UnreportedOutcome Outcome, TResult Result)> Settle(bool hurry, TimeSpan timeout)
        {
            if (!hurry)
            {
                try
                {
                    Task.WaitAll(_requests.Values.Cast<Task>().ToArray(), timeout);
                }
                catch (AggregateException)
                {
                    // Each failure is reported by its outcome.
                }
            }

            var settled = _requests.Select(pair => (pair.Key, OutcomeOf(pair.Value), pair.Value.Status == TaskStatus.RanToCompletion ? pair.Value.Result : default!))
                .ToList();
            _requests.Clear();
            return settled;
        }

        private static UnreportedOutcome OutcomeOf(Task<TResult> request) =>
            request.Status == TaskStatus.RanToCompletion ? UnreportedOutcome.Completed
            : request.IsFaulted && request.Exception!.GetBaseException() is EnosException { ChangedNothing: true } ? UnreportedOutcome.Refused
            : UnreportedOutcome.Unknown;
    }
}
