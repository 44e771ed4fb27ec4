namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>A PUT /_emulator/* body (or the command line, <see cref="EmulatorOptions"/>): read by <see cref="JsonBody.ReadSettings{T}"/>, then checked here.</summary>
    public interface IAdminBody<out TSelf>
    {
        /// <summary>This body, or a <see cref="FormatException"/> naming the value out of range.</summary>
        TSelf Checked() => (TSelf)(object)this;
    }
}
