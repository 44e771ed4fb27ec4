using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace EnOS.Streaming.Threading
{
    /// <summary>
    /// Runs a cmdlet's I/O on tasks while every write (objects, errors, verbose, debug, progress)
    /// stays on the pipeline thread, where PowerShell requires it. Work posts actions to a queue;
    /// the pipeline thread drains the queue whenever it would otherwise wait. Only <see cref="Post"/>
    /// may be called from other threads; everything that runs posted actions checks that it is on
    /// the pipeline thread that created the pump (as PowerShell's PSTaskDataStreamWriter does with
    /// CheckCmdletThread), because a write from another thread fails or, worse, interleaves.
    /// </summary>
    // CA1001: the queue is never disposed, on purpose. Work abandoned after a stop (past the
    // grace of AbandonOutstanding) may still post to it from another thread, and a
    // BlockingCollection must not be disposed while others use it; it holds no OS handle unless
    // one asks for its wait handles, which the pump never does, so the collector frees it whole.
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
        Justification = "Abandoned work may still post after the command ends; see the comment above.")]
    internal sealed class PipelineThreadPump
    {
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();
        private readonly ConcurrentDictionary<Task, byte> _outstanding = new ConcurrentDictionary<Task, byte>();
        private readonly CancellationToken _stopping;
        private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
        private int _inFlight;

        /// <summary>Created on the pipeline thread (by the cmdlet, on its first use), which is the only one that may handle the queue.</summary>
        public PipelineThreadPump(CancellationToken stopping)
        {
            _stopping = stopping;
        }

        /// <summary>Work started with <see cref="Start{T}"/> whose completion has not been handled yet.</summary>
        public int InFlight => _inFlight;

        /// <summary>Queues an action for the pipeline thread; callable from any thread.</summary>
        public void Post(Action action)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _queue.Add(action);
            }
        }

        public void Run(Task task) =>
            Run(task.ContinueWith(finished =>
            {
                finished.GetAwaiter().GetResult();
                return true;
            }, TaskScheduler.Default));

        /// <summary>Waits for one task on the pipeline thread, handling posted writes meanwhile.</summary>
        public T Run<T>(Task<T> task)
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
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>
        /// Starts work once fewer than <paramref name="throttleLimit"/> items are in flight;
        /// <paramref name="onCompleted"/> later runs on the pipeline thread with the finished task.
        /// Returns the work's task, for a caller that must account for it if the pipeline ends first.
        /// </summary>
        public Task<T> Start<T>(Func<CancellationToken, Task<T>> work, Action<Task<T>> onCompleted, int throttleLimit)
        {
            CheckPipelineThread();
            while (_inFlight >= throttleLimit)
            {
                HandleNext();
            }

            _inFlight++;
            var task = Task.Run(() => work(_stopping), _stopping);
            Track(task);
            task.ContinueWith(finished => Post(() =>
            {
                _inFlight--;
                onCompleted(finished);
            }), TaskScheduler.Default);
            return task;
        }

        /// <summary>Handles whatever has been posted, without waiting.</summary>
        public void HandleReady()
        {
            CheckPipelineThread();
            while (!_stopping.IsCancellationRequested && _queue.TryTake(out var action))
            {
                action();
            }
        }

        /// <summary>Waits until every started item has completed and been handled.</summary>
        public void WaitForAll()
        {
            CheckPipelineThread();
            while (_inFlight > 0)
            {
                HandleNext();
            }

            HandleReady();
        }

        /// <summary>
        /// After a stop or a terminating error: waits briefly for cancelled requests to unwind, so
        /// that none is left in flight when the command returns. Handles nothing more.
        /// </summary>
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
