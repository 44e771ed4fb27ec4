namespace EnOS.Streaming.Emulator.Faults
{
    /// <summary>The fault picked for one call, with the settings in force when it was picked.</summary>
    public readonly record struct FaultDecision(FaultKind Kind, FaultSettings Settings);
}
