using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Runs a cmdlet's I/O on tasks while every write stays on the pipeline thread, where PowerShell
    /// requires it: work posts actions to a queue the pipeline thread drains whenever it would wait.
    /// Only <see cref="Post"/> may be called from other threads; the rest checks the thread (as
    /// PowerShell's CheckCmdletThread does), since a write from another thread fails or interleaves.
    /// </summary>
    // CA1001: abandoned work may still post to the queue after a stop, and a BlockingCollection must
    // not be disposed while in use; without its wait handles (never asked for) it holds no OS handle.
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
        Justification = "Abandoned work may still post after the command ends; see the comment above.")]
    internal sealed class PipelineThreadPump(CancellationToken stopping)
    {
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly ConcurrentDictionary<Task, byte> _outstanding = new ConcurrentDictionary<Task, byte>();
        private readonly CancellationToken _stopping = stopping;

        // The pump is made on the pipeline thread (by the cmdlet, on first use), the only one that may handle the queue.
        private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;

        /// <summary>Work started with <see cref="Start{T}"/> whose completion has not been handled yet.</summary>
        public int InFlight { get; private set; }

        /// <summary>Queues an action for the pipeline thread; callable from any thread.</summary>
        public void Post(Action action)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _queue.Add(action);
            }
        }

        public T Run<T>(Task<T> task)
        {
            Run((Task)task);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Waits for one task on the pipeline thread, handling posted writes meanwhile.</summary>
        public void Run(Task task)
        {
            CheckPipelineThread();
            Track(task);
            // The loop below sleeps in Take until something is posted; a task that finishes
            // without logging anything would leave it asleep, so its end posts an empty wake-up.
            task.ContinueWith(_ => Post(() => { }), TaskScheduler.Default);
            while (!task.IsCompleted)
            {
                HandleNext();
            }

            HandleReady();
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Starts work once fewer than <paramref name="throttleLimit"/> are in flight; <paramref name="onCompleted"/>
        /// runs on the pipeline thread. The task returned is for a caller that must account for it after a stop.
        /// </summary>
        public Task<T> Start<T>(Func<CancellationToken, Task<T>> work, Action<Task<T>> onCompleted, int throttleLimit)
        {
            CheckPipelineThread();
            while (InFlight >= throttleLimit)
            {
                HandleNext();
            }

            InFlight++;
            var task = Task.Run(() => work(_stopping), _stopping);
            Track(task);
            task.ContinueWith(finished => Post(() =>
            {
                InFlight--;
                onCompleted(finished);
            }), TaskScheduler.Default);
            return task;
        }

        public void HandleReady()
        {
            CheckPipelineThread();
            while (!_stopping.IsCancellationRequested && _queue.TryTake(out var action))
            {
                action();
            }
        }

        public void WaitForAll()
        {
            CheckPipelineThread();
            while (InFlight > 0)
            {
                HandleNext();
            }

            HandleReady();
        }

        /// <summary>After a stop or a terminating error: waits briefly for cancelled requests to unwind. Handles nothing more.</summary>
        public void AbandonOutstanding(TimeSpan grace)
        {
            try
            {
                Task.WaitAll(new System.Collections.Generic.List<Task>(_outstanding.Keys).ToArray(), grace);
            }
            catch (AggregateException)
            {
                // Failures of abandoned work have no one left to report to.
            }
        }

        private void HandleNext()
        {
            Action action;
            try
            {
                action = _queue.Take(_stopping);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }

            action();
        }

        private void CheckPipelineThread()
        {
            if (Environment.CurrentManagedThreadId != _pipelineThreadId)
            {
                throw new PSInvalidOperationException(
                    "The EnOS.Streaming pipeline thread pump was used from a thread other than the command's pipeline thread; only Post may be called from other threads.");
            }
        }

        private void Track(Task task)
        {
            _outstanding.TryAdd(task, 0);
            task.ContinueWith(t => _outstanding.TryRemove(t, out _), TaskScheduler.Default);
        }
    }
}
