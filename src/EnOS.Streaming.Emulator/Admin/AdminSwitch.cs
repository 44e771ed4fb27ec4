namespace EnOS.Streaming.Emulator.Admin
{
    /// <summary>
    /// A behaviour tests switch at /_emulator/{name}: GET shows it, PUT replaces the settings whole
    /// (zeroing what is counted under them), DELETE goes back to the defaults.
    /// </summary>
    public abstract class AdminSwitch<TSettings>(TSettings defaults)
        where TSettings : class, IAdminBody<TSettings>
    {
        private readonly TSettings _defaults = defaults;
        private TSettings _settings = defaults;

        /// <summary>Guards a change of the settings and what a subclass counts under them (reentrant).</summary>
        protected Lock Lock { get; } = new();

        /// <summary>The settings in force: one reference, read without the lock.</summary>
        public TSettings Settings => Volatile.Read(ref _settings);

        /// <summary>What GET and PUT answer.</summary>
        public virtual object View => Settings;

        public void Configure(TSettings settings)
        {
            lock (Lock)
            {
                _settings = settings;
                Restart(settings);
            }
        }

        public void Clear() => Configure(_defaults);

        /// <summary>Zeroes what is counted under the settings; runs under <see cref="Lock"/>.</summary>
        protected virtual void Restart(TSettings settings)
        {
        }
    }
}
