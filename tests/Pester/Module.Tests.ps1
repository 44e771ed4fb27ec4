BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'The built module' {
    It 'imports from the out folder with its version and exactly its cmdlets' {
        $module = Get-Module EnOS.Streaming
        $module.Version | Should -Be ([version]$ModuleVersion)
        $module.ModuleBase | Should -BeLike '*out*EnOS.Streaming*'
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be @(
            'Connect-EnosStreaming', 'Disconnect-EnosStreaming', 'Export-EnosPipelineDefinition', 'Get-EnosMaintenanceJournal', 'Get-EnosPipeline', 'Get-EnosPipelineDefinition',
            'Get-EnosPipelineLag', 'Get-EnosStreamingConnection', 'Import-EnosPipelineDefinition', 'New-EnosPipeline', 'Publish-EnosPipeline',
            'Reset-EnosPipelineOffset', 'Resume-EnosPipeline', 'Set-EnosPipelineDefinition', 'Start-EnosPipeline', 'Stop-EnosPipeline', 'Suspend-EnosPipeline',
            'Test-EnosPipelineHealth', 'Wait-EnosPipeline')
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        (Get-Command -Module EnOS.Streaming).Verb | ForEach-Object { $_ | Should -BeIn $approved }
    }

    It 'supports -WhatIf and -Confirm on every command that changes state' {
        foreach ($name in 'Suspend-EnosPipeline', 'Resume-EnosPipeline', 'Start-EnosPipeline', 'Stop-EnosPipeline',
            'Set-EnosPipelineDefinition', 'New-EnosPipeline', 'Publish-EnosPipeline', 'Reset-EnosPipelineOffset', 'Export-EnosPipelineDefinition') {
            $command = Get-Command $name
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }

    It 'declares the output types so that tab completion of properties works' {
        (Get-Command Get-EnosPipeline).OutputType.Name | Should -Be 'EnOS.Streaming.Pipeline'
        foreach ($name in 'Suspend-EnosPipeline', 'Resume-EnosPipeline', 'Start-EnosPipeline', 'Stop-EnosPipeline') {
            (Get-Command $name).OutputType.Name | Should -Be 'EnOS.Streaming.Pipeline'
        }
        (Get-Command Get-EnosPipelineLag).OutputType.Name | Should -Be 'EnOS.Streaming.PipelinePartitionLag'
    }

    It 'asks before stopping (ConfirmImpact High) and not before the reversible changes (Medium)' {
        foreach ($name in 'Suspend-EnosPipeline', 'Resume-EnosPipeline', 'Start-EnosPipeline', 'Publish-EnosPipeline', 'Set-EnosPipelineDefinition', 'New-EnosPipeline') {
            (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
                Should -Be 'Medium'
        }
        foreach ($name in 'Stop-EnosPipeline', 'Reset-EnosPipelineOffset') {
            (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
                Should -Be 'High'
        }
    }

    It 'shows pipelines in a table of Name, PipelineId, Status and UpdateTime by default' {
        $pipeline = [EnOS.Streaming.Pipeline]@{ PipelineId = 'pl-x'; Name = 'wind-line-x'; Status = 'Running'; UpdateTime = '2026-11-20 08:15:00' }
        $header = ($pipeline | Out-String -Width 200) -split "`n" | Where-Object { $_ -match '\S' } | Select-Object -First 1
        $header | Should -Match '^Name\s+PipelineId\s+Status\s+UpdateTime\s*$'
    }

    It 'shows an unknown status as the text the API sent' {
        $pipeline = [EnOS.Streaming.Pipeline]@{ PipelineId = 'pl-x'; Name = 'n'; Status = 'Unknown'; StatusText = 'DEBUGGING' }
        ($pipeline | Out-String) | Should -Match 'DEBUGGING'
    }
}
