namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>A token service answer: the "status" envelope of apim-token-service.</summary>
    public sealed record TokenReply(int Status, string Msg, object? Data);
}
