namespace EnOS.Streaming.Model
{
    /// <summary>What a resume will do with one pipeline, decided from its listed status before anything is sent.</summary>
    internal enum ResumeDecision
    {
        /// <summary>Listed PAUSED: the start action is sent, in <see cref="ResumePlan.ExecutionMode"/>.</summary>
        Resume,

        /// <summary>Listed RUNNING: nothing to send.</summary>
        AlreadyRunning,

        /// <summary>Absent or in any other status: refused without a request (<see cref="ResumePlan.Refusal"/>).</summary>
        Refuse,
    }
}
