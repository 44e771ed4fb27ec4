@{
    # The one place the module's version is written; build.ps1 passes it to the compiler and the package.
    ModuleVersion        = '0.1.0'
    GUID                 = '3f6f8d0e-5f0b-4a43-9b5e-2c1d7e4a9c21'
    RootModule           = 'EnOS.Streaming.PowerShell.dll'
    # Imported before the root module: makes Dependencies/ resolvable, isolated on PowerShell 7.
    NestedModules        = @('EnOS.Streaming.Loader.dll')
    Author               = 'EnOS.Streaming contributors'
    CompanyName          = 'EnOS.Streaming contributors'
    Copyright            = '(c) EnOS.Streaming contributors. MIT licence.'
    Description          = 'Manage the stream processing pipelines of the Envision EnOS IoT platform: list, pause, resume, start and stop them, keep their definitions in files and promote them between organisations, release them and reset their offsets through the EnOS API gateway, with signed requests, concurrent bulk operations, -WhatIf/-Confirm and proper error records.'
    PowerShellVersion    = '5.1'
    # Windows PowerShell: the System.Net.Http of older .NET Framework versions lacks
    # HttpClientHandler.MaxConnectionsPerServer (which bounds -ThrottleLimit's sockets); 4.7.2 has it
    # and is the first with full .NET Standard 2.0 support.
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('EnOS.Streaming.Format.ps1xml')
    TypesToProcess       = @('EnOS.Streaming.Types.ps1xml')
    CmdletsToExport      = @(
        'Connect-EnosStreaming'
        'Disconnect-EnosStreaming'
        'Export-EnosPipelineDefinition'
        'Get-EnosMaintenanceJournal'
        'Get-EnosPipeline'
        'Get-EnosPipelineDefinition'
        'Get-EnosPipelineLag'
        'Get-EnosStreamingConnection'
        'Import-EnosPipelineDefinition'
        'New-EnosPipeline'
        'Publish-EnosPipeline'
        'Reset-EnosPipelineOffset'
        'Resume-EnosPipeline'
        'Set-EnosPipelineDefinition'
        'Start-EnosPipeline'
        'Stop-EnosPipeline'
        'Suspend-EnosPipeline'
        'Test-EnosPipelineHealth'
        'Wait-EnosPipeline'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('EnOS', 'Envision', 'IoT', 'StreamProcessing', 'Pipeline', 'Streaming', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/enos-streaming/EnOS.Streaming'
            LicenseUri   = 'https://github.com/enos-streaming/EnOS.Streaming/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: first release. Connect-EnosStreaming, Get-EnosPipeline, Suspend-, Resume-, Start- and Stop-EnosPipeline, Get-EnosPipelineLag for the EnOS Stream Processing API v2.0: signed requests, concurrent bulk operations with -ThrottleLimit, retries, -WhatIf/-Confirm, tab completion, isolated dependencies. See CHANGELOG.md.'
        }
    }
}
