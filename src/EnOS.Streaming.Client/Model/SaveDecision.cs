namespace EnOS.Streaming.Model
{
    /// <summary>What saving one definition will do, decided by reading before anything is changed.</summary>
    internal enum SaveDecision
    {
        /// <summary>The pipeline exists and its saved configuration differs: Save Pipeline is sent.</summary>
        Save,

        /// <summary>The pipeline's saved configuration is already this definition: nothing to send.</summary>
        Unchanged,

        /// <summary>No pipeline has the name and creating was asked for: Save Pipeline with the id null.</summary>
        Create,

        /// <summary>Nothing can be sent (<see cref="SavePlan.Refusal"/>).</summary>
        Refuse,
    }
}
