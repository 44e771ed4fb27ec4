BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Tab completion' {
    Context 'connected' {
        BeforeAll { Connect-TestEmulator $emulator }

        It 'completes -PipelineId with the organisation''s ids' {
            $found = Get-Completion 'Stop-EnosPipeline -PipelineId pl-000'
            $found.CompletionText | Should -Be @('pl-0001', 'pl-0002', 'pl-0003', 'pl-0004', 'pl-0005', 'pl-0006', 'pl-0007', 'pl-0008', 'pl-0009')
            $found[0].ListItemText | Should -Be 'pl-0001 (wind-line-1)'
            $found[0].ToolTip | Should -Be 'wind-line-1: RUNNING'
        }

        It 'finds the id from the start of a name' {
            (Get-Completion 'Stop-EnosPipeline -PipelineId wind-line-12').CompletionText | Should -Be 'pl-0012'
        }

        It 'completes -Name on Get-EnosPipeline' {
            (Get-Completion 'Get-EnosPipeline -Name wind-line-1').CompletionText | Should -Be @('wind-line-1', 'wind-line-10', 'wind-line-11', 'wind-line-12')
        }

        It 'completes -Status from the enum' {
            (Get-Completion 'Get-EnosPipeline -Status Pa').CompletionText | Should -Be 'Paused'
        }

        It 'asks the service once for a burst of completions' {
            Get-Completion 'Resume-EnosPipeline -PipelineId pl' | Out-Null
            Clear-EmulatorRequests $emulator
            1..5 | ForEach-Object { Get-Completion 'Resume-EnosPipeline -PipelineId pl' | Out-Null }
            Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
        }
    }

    Context 'not connected' {
        BeforeAll { Disconnect-EnosStreaming }

        It 'forgets a connection made from environment variables once they are gone' {
            Set-EnosVariables $emulator
            try {
                Get-EnosPipeline | Out-Null
                (Get-Completion 'Suspend-EnosPipeline -PipelineId pl-000').CompletionText | Should -Contain 'pl-0001'
            }
            finally {
                Clear-EnosVariables
            }

            Get-Completion 'Suspend-EnosPipeline -PipelineId pl-000' | Where-Object CompletionText -Like 'pl-*' | Should -BeNullOrEmpty
        }

        It 'offers no pipeline, asks nothing of the service, and raises no error' {
            $Error.Clear()
            Clear-EmulatorRequests $emulator
            $script:found = Get-Completion 'Suspend-EnosPipeline -PipelineId pl-'
            $script:found | Where-Object CompletionText -Like 'pl-*' | Should -BeNullOrEmpty
            Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
            $Error | Should -BeNullOrEmpty
        }
    }
}
