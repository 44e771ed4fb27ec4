# System pipelines first (issue 22 item 4), against an emulator whose user pipelines fail to start
# while their channel's system pipelines are not RUNNING, and whose starts show STARTING for 1 s.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -TransitionMs 1000 -SystemPipelinesFirst
    Connect-TestEmulator $emulator

    function Set-Status([string[]] $Ids, [string] $Status) {
        foreach ($id in $Ids) { Invoke-EnosEmulatorAdmin $emulator "pipelines/$id/status/$Status" -Method PUT | Out-Null }
    }

    # The pipelines the actions were sent for, in the order the emulator received them.
    function Get-ActionOrder {
        @(Get-EmulatorRequests $emulator | Where-Object { $_.method -eq 'POST' -and $_.path -like 'streaming/v2.0/streaming/pipeline/*' } | ForEach-Object pipelineId)
    }

    function Get-ListingCalls {
        @(Get-EmulatorRequests $emulator | Where-Object path -Like 'streaming/v2.0/streaming/pipelines')
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'System pipelines first' {
    BeforeEach {
        Invoke-EnosEmulatorAdmin $emulator 'transitions' -Method DELETE | Out-Null
        Set-Status 'sys-0001', 'sys-0002' 'RUNNING'
        Clear-EmulatorRequests $emulator
    }

    It 'starts a system pipeline piped after a user pipeline first, and the user pipeline once it is RUNNING' {
        Set-Status 'pl-0004', 'sys-0001' 'STOPPED'
        # The listing writes pl-0004 first.
        $listed = @(Get-EnosPipeline -PipelineId 'pl-0004', 'sys-0001' -IncludeSystem)
        $listed.PipelineId | Should -Be @('pl-0004', 'sys-0001')
        Clear-EmulatorRequests $emulator

        $listed | Start-EnosPipeline -Confirm:$false -InformationVariable summary

        Get-ActionOrder | Should -Be @('sys-0001', 'pl-0004')
        "$summary" | Should -Match '2 started, 0 failed'
        # Started while sys-0001 was STARTING, the emulator would have made it FAILED.
        (Wait-EnosPipeline -PipelineId 'pl-0004' -Status Running -PollSec 1 -TimeoutSec 20).PipelineId | Should -Be 'pl-0004'
    }

    It 'pauses and stops system pipelines last, as the objects say, reading nothing more for that' {
        Set-Status 'pl-0001', 'pl-0002' 'RUNNING'
        $listed = @(Get-EnosPipeline -PipelineId 'pl-0001', 'pl-0002', 'sys-0001', 'sys-0002' -IncludeSystem)
        Clear-EmulatorRequests $emulator

        $listed[2], $listed[0] | Suspend-EnosPipeline -Confirm:$false
        $listed[3], $listed[1] | Stop-EnosPipeline -Force

        Get-ActionOrder | Should -Be @('pl-0001', 'sys-0001', 'pl-0002', 'sys-0002')
        Get-ListingCalls | Should -BeNullOrEmpty
    }

    It 'looks up journal entries, and takes a bare id as a user pipeline, in the order given' {
        $journal = Join-Path $TestDrive 'window.jsonl'
        Set-Status 'pl-0001', 'pl-0002' 'RUNNING'
        Get-EnosPipeline -PipelineId 'pl-0001', 'sys-0001' -IncludeSystem | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false
        Get-ActionOrder | Should -Be @('pl-0001', 'sys-0001')
        Wait-EnosPipeline -JournalPath $journal -Status Paused -PollSec 1 -TimeoutSec 20 | Out-Null
        Clear-EmulatorRequests $emulator

        Resume-EnosPipeline -JournalPath $journal -Confirm:$false
        Get-ActionOrder | Should -Be @('sys-0001', 'pl-0001')
        (Wait-EnosPipeline -PipelineId 'pl-0001' -Status Running -PollSec 1 -TimeoutSec 20).PipelineId | Should -Be 'pl-0001'

        Clear-EmulatorRequests $emulator
        'sys-0002', 'pl-0002' | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 1
        Get-ActionOrder | Should -Be @('sys-0002', 'pl-0002')
        Get-ListingCalls | Should -BeNullOrEmpty
    }

    It 'lists in the order it would send under -WhatIf, and sends nothing' {
        $journal = Join-Path $TestDrive 'whatif.jsonl'
        Set-Status 'pl-0001' 'RUNNING'
        Get-EnosPipeline -PipelineId 'pl-0001', 'sys-0001' -IncludeSystem | Suspend-EnosPipeline -JournalPath $journal -Confirm:$false
        Wait-EnosPipeline -JournalPath $journal -Status Paused -PollSec 1 -TimeoutSec 20 | Out-Null
        Clear-EmulatorRequests $emulator

        $run = Invoke-WithCapturedHost $emulator "Resume-EnosPipeline -JournalPath '$journal' -WhatIf"
        $lines = @($run.Host | Where-Object { $_ -like 'What if:*' })

        $lines.Count | Should -Be 2
        $lines[0] | Should -Match 'sys-0001.*listed PAUSED'
        $lines[1] | Should -Match 'pl-0001.*listed PAUSED'
        Get-ActionOrder | Should -BeNullOrEmpty
    }

    It 'marks each pipeline of Get-EnosPipeline -IncludeSystem as a system pipeline or not' {
        $all = @(Get-EnosPipeline -IncludeSystem)
        @($all | Where-Object IsSystem | ForEach-Object PipelineId) | Should -Be @('sys-0001', 'sys-0002')
        @($all | Where-Object IsSystem -EQ $false).Count | Should -Be 12
        @(Get-EnosPipeline | Where-Object IsSystem -NE $false) | Should -BeNullOrEmpty
    }

    It 'sends no user pipeline when a system pipeline fails to start; inputs = outputs + errors (<Switch>)' -TestCases @(
        @{ Switch = '-PassThru'; Outputs = 1 }, @{ Switch = '-Wait'; Outputs = 0 }) {
        param($Switch, $Outputs)
        Invoke-EnosEmulatorAdmin $emulator 'transitions' -Method PUT -Body @{ transitionMs = 1000; failEvery = 1; systemPipelinesFirst = $true } | Out-Null
        Set-Status 'pl-0004', 'sys-0001' 'STOPPED'
        $parameters = @{ $Switch.TrimStart('-') = $true }

        $output = @(Get-EnosPipeline -PipelineId 'pl-0004', 'sys-0001' -IncludeSystem | Start-EnosPipeline @parameters -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue)

        $output.Count | Should -Be $Outputs
        ($output.Count + $failed.Count) | Should -Be 2
        @(Get-ActionOrder) | Should -Be @('sys-0001')
        Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'STOPPED'
        $held = $failed | Where-Object TargetObject -EQ 'pl-0004'
        $held.FullyQualifiedErrorId | Should -BeLike 'EnosSystemPipelinesNotRunning,*'
        "$held" | Should -Match 'sys-0001.*did not get to RUNNING.*Nothing was sent'
        if ($Switch -eq '-Wait') { ($failed | Where-Object TargetObject -EQ 'sys-0001').FullyQualifiedErrorId | Should -BeLike 'EnosPipelineFailed,*' }
        else { "$warned" | Should -Match 'sys-0001.*FAILED, not RUNNING' }
    }

    It 'costs nothing when the input has no system pipeline: no listing, the order of the input' {
        Set-Status 'pl-0001', 'pl-0002', 'pl-0006' 'RUNNING'
        $listed = @(Get-EnosPipeline -PipelineId 'pl-0006', 'pl-0001', 'pl-0002')
        Clear-EmulatorRequests $emulator

        $listed | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 1

        Get-ActionOrder | Should -Be @($listed.PipelineId)
        Get-ListingCalls | Should -BeNullOrEmpty
    }
}
