namespace EnOS.Streaming.Emulator.Gateway
{
    /// <summary>Outcome of checking the authentication headers of a streaming call.</summary>
    public readonly record struct AuthResult(int Code, string Message)
    {
        public static readonly AuthResult Ok = new(0, "OK");
        public bool Succeeded => Code == 0;
    }
}
