namespace EnOS.Streaming
{
    /// <summary>What a pipeline's status and two lag samples say about it after a window.</summary>
    public enum HealthVerdict
    {
        /// <summary>RUNNING, and its lag did not move (or is zero).</summary>
        Healthy,

        /// <summary>RUNNING, and its lag fell between the samples: catching up.</summary>
        Draining,

        /// <summary>RUNNING, and its lag rose between the samples: falling behind.</summary>
        Growing,

        /// <summary>Listed in a failed status (FAILED).</summary>
        Failed,

        /// <summary>Listed in any other status than RUNNING (paused, stopped, starting, ...).</summary>
        NotRunning,
    }
}
