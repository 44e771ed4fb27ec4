namespace EnOS.Streaming.Model
{
    /// <summary>The outcome of a pause, resume, start or stop that did not fail.</summary>
    internal enum StateChange
    {
        Applied,

        /// <summary>The pipeline was already in the asked-for state, which is what the caller wanted.</summary>
        AlreadyInState,
    }
}
