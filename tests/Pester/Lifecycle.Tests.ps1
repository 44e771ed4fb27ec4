BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12
    Connect-TestEmulator $emulator

    function Get-EmulatorPosts {
        (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Where-Object { $_.path -notlike 'apim-token*' }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'The maintenance-window round trip' {
    BeforeEach { Reset-EmulatorPipelines $emulator }

    It 'resumes exactly what an earlier runbook paused, through Export-Clixml and Import-Clixml' {
        $file = Join-Path $TestDrive 'paused.xml'
        $paused = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false
        $paused | Export-Clixml -Path $file
        $paused.Count | Should -Be 6

        # The later runbook: only the file is left.
        Clear-EmulatorRequests $emulator
        $resumed = Import-Clixml -Path $file | Resume-EnosPipeline -PassThru -Confirm:$false

        $resumed.Count | Should -Be 6
        $resumed.Status | Sort-Object -Unique | Should -Be 'Running'
        foreach ($id in $paused.PipelineId) { Get-EmulatorStatus $emulator $id | Should -Be 'RUNNING' }
        # pl-0003 was paused before the window and is not in the file: it stays paused.
        Get-EmulatorStatus $emulator 'pl-0003' | Should -Be 'PAUSED'
        (Get-EmulatorPosts).query.action | Sort-Object -Unique | Should -Be 'start'
    }
}

Describe 'Resume-EnosPipeline' {
    BeforeEach {
        Reset-EmulatorPipelines $emulator
        Clear-EmulatorRequests $emulator
    }

    It 'resumes a bare id with the execution mode the pipeline has' {
        Resume-EnosPipeline -PipelineId pl-0003 -Confirm:$false   # executionMode 1 (3 % 2)
        Resume-EnosPipeline -PipelineId pl-0008 -KafkaRate 250 -Confirm:$false   # executionMode 0

        Get-EmulatorStatus $emulator 'pl-0003' | Should -Be 'RUNNING'
        $bodies = (Get-EmulatorPosts | Sort-Object pipelineId).body
        $bodies | Should -Be @('{"executionMode":1,"kafkaRate":1000}', '{"executionMode":0,"kafkaRate":250}')
    }

    It 'leaves a running pipeline alone, without error and without a request' {
        Resume-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        Get-EmulatorPosts | Should -BeNullOrEmpty
    }

    It 'refuses to restart a stopped pipeline from scratch, sending nothing' {
        Resume-EnosPipeline -PipelineId pl-0004 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -Be 'EnosPipelineStateConflict,EnOS.Streaming.Commands.ResumeEnosPipelineCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        "$($errors[0])" | Should -Match 'STOPPED'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'Start-EnosPipeline'
        Get-EmulatorPosts | Should -BeNullOrEmpty
        Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'STOPPED'
    }

    It 'reports an unknown pipeline as EnosPipelineNotFound' {
        Resume-EnosPipeline -PipelineId nope -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
    }

    It 'sends nothing with -WhatIf, and says it would resume the pipeline' {
        $run = Invoke-WithCapturedHost $emulator 'Resume-EnosPipeline -PipelineId pl-0003 -WhatIf'
        Get-EmulatorPosts | Should -BeNullOrEmpty
        $run.Host | Should -Be "What if: Resume pipeline 'pl-0003': listed PAUSED: would resume it from where it paused, in cluster mode."
    }

    It '-WhatIf where the status cannot be read says so, and what the real run of Resume or Start would do' {
        # The emulator refuses another organisation's listing (61106).
        $run = Invoke-WithCapturedHost $emulator "Resume-EnosPipeline -PipelineId pl-0003 -OrgId other-org -WhatIf; Start-EnosPipeline -PipelineId pl-0004 -OrgId other-org -WhatIf"
        Get-EmulatorPosts | Should -BeNullOrEmpty
        $run.Host.Count | Should -Be 2
        $run.Host[0] | Should -BeLike "What if: Resume pipeline 'pl-0003': its status cannot be read now (*61106*); the real run would report an error."
        $run.Host[1] | Should -BeLike "What if: Start pipeline 'pl-0004': its status cannot be read now (*61106*); the real run would send the start action."
    }
}

# Issue 20, item 7: an -ExecutionMode a running pipeline cannot take is said, not dropped.
Describe 'An -ExecutionMode for a pipeline that is already running' {
    It 'is a warning naming the pipeline and the mode, from <Command>, and the pipeline is left as it was' -ForEach @(
        @{ Command = 'Resume-EnosPipeline' }
        @{ Command = 'Start-EnosPipeline' }
    ) {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/status/RUNNING' -Method PUT | Out-Null
        Clear-EmulatorRequests $emulator

        $out = & $Command -PipelineId pl-0001 -ExecutionMode Cluster -PassThru -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue

        $out.PipelineId | Should -Be 'pl-0001'
        "$warned" | Should -Match "-ExecutionMode Cluster was not applied to pipeline 'pl-0001': it is already running"
        if ($Command -eq 'Resume-EnosPipeline') {
            Get-EmulatorPosts | Where-Object { $_.rawTarget -match 'action=start' } | Should -BeNullOrEmpty -Because 'a resume reads the status first'
        }
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
    }

    It 'warns of nothing without -ExecutionMode' {
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/status/RUNNING' -Method PUT | Out-Null
        $null = Resume-EnosPipeline -PipelineId pl-0001 -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty
    }
}

Describe 'Start-EnosPipeline' {
    BeforeEach {
        Reset-EmulatorPipelines $emulator
        Clear-EmulatorRequests $emulator
    }

    It 'starts a stopped pipeline with the mode, rate and resource settings asked for' {
        $started = Start-EnosPipeline -PipelineId pl-0004 -ExecutionMode Cluster -KafkaRate 2000 -ResourceConfig @{ cu = 2 } -PassThru -Confirm:$false

        $started.Status | Should -Be 'Running'
        Get-EmulatorStatus $emulator 'pl-0004' | Should -Be 'RUNNING'
        (Get-EmulatorPosts).body | Should -Be '{"executionMode":1,"kafkaRate":2000,"resourceConfig":{"cu":2}}'
    }

    It 'starts a published pipeline piped from Get-EnosPipeline with its own execution mode' {
        Get-EnosPipeline -Status Published | Start-EnosPipeline -Confirm:$false
        Get-EmulatorStatus $emulator 'pl-0005' | Should -Be 'RUNNING'
        Get-EmulatorStatus $emulator 'pl-0010' | Should -Be 'RUNNING'
        ((Get-EmulatorPosts) | Where-Object pipelineId -EQ 'pl-0005').body | Should -Be '{"executionMode":1,"kafkaRate":1000}'
    }

    It 'starts a bare id in the execution mode the service has for it' {
        Start-EnosPipeline -PipelineId pl-0009 -Confirm:$false   # STOPPED, executionMode 1 (9 % 2)
        (Get-EmulatorPosts).body | Should -Be '{"executionMode":1,"kafkaRate":1000}'
    }

    It 'treats a running pipeline as done' {
        Start-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
    }
}

Describe 'Stop-EnosPipeline' {
    BeforeEach {
        Reset-EmulatorPipelines $emulator
        Clear-EmulatorRequests $emulator
    }

    It 'stops running and paused pipelines with -Force' {
        Stop-EnosPipeline -PipelineId pl-0001, pl-0003 -Force
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'STOPPED'
        Get-EmulatorStatus $emulator 'pl-0003' | Should -Be 'STOPPED'
    }

    It 'still honours -WhatIf when -Force is given' {
        $run = Invoke-WithCapturedHost $emulator 'Stop-EnosPipeline -PipelineId pl-0001 -Force -WhatIf'
        Get-EmulatorPosts | Should -BeNullOrEmpty
        $run.Host | Should -Be 'What if: Performing the operation "Stop (clears offsets and cached data)" on target "pipeline ''pl-0001''".'
    }

    It 'treats a stopped pipeline as done and writes it with -PassThru' {
        $result = Stop-EnosPipeline -PipelineId pl-0004 -Force -PassThru -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $result.Status | Should -Be 'Stopped'
    }

    It 'reports a published pipeline as a state conflict' {
        Stop-EnosPipeline -PipelineId pl-0005 -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        $errors[0].Exception.Code | Should -Be 61152
    }
}

Describe 'Get-EnosPipelineLag' {
    BeforeAll { Reset-EmulatorPipelines $emulator }

    It 'writes one typed object per partition of a running pipeline' {
        $lag = Get-EnosPipeline -PipelineId pl-0001 | Get-EnosPipelineLag
        $lag.Count | Should -Be 3
        $lag | ForEach-Object { $_ | Should -BeOfType ([EnOS.Streaming.PipelinePartitionLag]) }
        $lag.Partition | Should -Be @(0, 1, 2)
        $lag.TopicName | Sort-Object -Unique | Should -Be 'stream_pl-0001'
        $lag.Name | Sort-Object -Unique | Should -Be 'wind-line-1'
        $lag[0].Time | Should -BeOfType ([DateTimeOffset])
    }

    It 'names the pipeline of a bare id too' {
        $lag = Get-EnosPipelineLag -PipelineId pl-0002
        $lag.Name | Sort-Object -Unique | Should -Be 'wind-line-2'
    }

    # The emulator refuses with 99000 and no status, as Offset Lag's documented errors allow: the
    # status named comes from the listing.
    It 'reports a pipeline that is not running as a state conflict naming its status, and goes on to the next' {
        $lag = 'pl-0004', 'pl-0002' | Get-EnosPipelineLag -ErrorVariable errors -ErrorAction SilentlyContinue
        $lag.PipelineId | Sort-Object -Unique | Should -Be 'pl-0002'
        $errors.Count | Should -Be 1
        $errors[0].TargetObject | Should -Be 'pl-0004'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        "$errors" | Should -BeLike '*STOPPED*'
    }

    It 'names the status of a paused pipeline given by bare id, from the listing when the service does not say' {
        Get-EnosPipelineLag -PipelineId pl-0003 -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        "$errors" | Should -Be "Cannot get the offset and lag of pipeline 'pl-0003': its current status is PAUSED. Offset and lag exist only while a pipeline runs."
        $errors[0].Exception.InnerException.Code | Should -Be 99000
    }

    It 'refuses a piped pipeline that is listed as paused without asking the service' {
        Clear-EmulatorRequests $emulator
        Get-EnosPipeline -PipelineId pl-0003 | Get-EnosPipelineLag -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        "$errors" | Should -BeLike '*PAUSED*Nothing was sent*'
        Get-EmulatorRequests $emulator | Where-Object path -Like '*offset-lag' | Should -BeNullOrEmpty
    }
}
