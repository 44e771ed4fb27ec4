BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 12
    Connect-TestEmulator $emulator
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Suspend-EnosPipeline' {
    BeforeEach {
        Reset-EmulatorPipelines $emulator
        Clear-EmulatorRequests $emulator
    }

    Context 'bulk from Get-EnosPipeline' {
        It 'pauses exactly the running pipelines' {
            Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false

            $after = Invoke-EnosEmulatorAdmin $emulator 'pipelines'
            foreach ($id in 'pl-0001', 'pl-0002', 'pl-0006', 'pl-0007', 'pl-0011', 'pl-0012') {
                ($after | Where-Object pipelineId -EQ $id).status | Should -Be 'PAUSED'
            }
            ($after | Where-Object pipelineId -EQ 'pl-0004').status | Should -Be 'STOPPED'
            ($after | Where-Object pipelineId -EQ 'pl-0005').status | Should -Be 'PUBLISHED'
            $posts = (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Where-Object { $_.path -notlike 'apim-token*' }
            $posts.Count | Should -Be 6
        }

        It 'writes the pipelines with their new status with -PassThru, and nothing without it' {
            $none = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -Confirm:$false
            $none | Should -BeNullOrEmpty
            Reset-EmulatorPipelines $emulator

            $paused = Get-EnosPipeline -Status Running | Suspend-EnosPipeline -PassThru -Confirm:$false
            $paused.Count | Should -Be 6
            $paused | ForEach-Object { $_ | Should -BeOfType ([EnOS.Streaming.Pipeline]) }
            $paused.Status | Sort-Object -Unique | Should -Be 'Paused'
            $paused.Name | Should -Contain 'wind-line-1'
        }

        It 'sends the documented signed POST' {
            Suspend-EnosPipeline -PipelineId pl-0001 -Confirm:$false
            $post = (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Select-Object -Last 1
            $post.rawTarget | Should -Be "/streaming/v2.0/streaming/pipeline/pl-0001?action=pause&orgId=$($emulator.OrgId)"
            $post.code | Should -Be 0
        }
    }

    Context 'what the user asked for' {
        It 'sends nothing with -WhatIf, and says what it would pause' {
            $run = Invoke-WithCapturedHost $emulator "Get-EnosPipeline -Status Running | Suspend-EnosPipeline -WhatIf; 'pl-0001' | Suspend-EnosPipeline -WhatIf"

            (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Where-Object { $_.path -notlike 'apim-token*' } | Should -BeNullOrEmpty
            Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
            $run.Errors | Should -BeNullOrEmpty
            # Six running pipelines piped, then one bare id: a "What if:" line each.
            @($run.Host | Where-Object { $_ -like 'What if: *' }).Count | Should -Be 7
            $run.Host[-1] | Should -Be "What if: Pause pipeline 'pl-0001': listed RUNNING: would pause it; it keeps its offsets."
        }

        It 'names the pipeline, not the operation, in the -WhatIf message' {
            $run = Invoke-WithCapturedHost $emulator 'Get-EnosPipeline -PipelineId pl-0001 | Suspend-EnosPipeline -WhatIf'

            $run.Host | Should -Be "What if: Pause pipeline 'wind-line-1' (pl-0001): listed RUNNING: would pause it; it keeps its offsets."
        }

        It 'takes plain id strings from the pipeline and by position' {
            'pl-0001', 'pl-0002' | Suspend-EnosPipeline -Confirm:$false
            Suspend-EnosPipeline pl-0006 -Confirm:$false

            'pl-0001', 'pl-0002', 'pl-0006' | ForEach-Object { Get-EmulatorStatus $emulator $_ | Should -Be 'PAUSED' }
        }

        It 'binds by property name, as objects read back from a file do' {
            $deserialised = [pscustomobject]@{ PipelineId = 'pl-0007'; OrgId = $emulator.OrgId; Name = 'wind-line-7' }
            $deserialised | Suspend-EnosPipeline -Confirm:$false
            Get-EmulatorStatus $emulator 'pl-0007' | Should -Be 'PAUSED'
        }

        It 'fills in name and status for a bare id with -PassThru' {
            $result = Suspend-EnosPipeline -PipelineId pl-0011 -PassThru -Confirm:$false
            $result.PipelineId | Should -Be 'pl-0011'
            $result.Name | Should -Be 'wind-line-11'
            $result.Status | Should -Be 'Paused'
        }

        It 'treats an already paused pipeline as done: no error, a verbose line, and -PassThru still writes it' {
            $output = Get-EnosPipeline -PipelineId pl-0003 | Suspend-EnosPipeline -PassThru -Confirm:$false -Verbose -ErrorVariable errors 4>&1
            $errors | Should -BeNullOrEmpty
            ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Pipeline 'wind-line-3' (pl-0003) is already paused; nothing to do."
            ($output | Where-Object { $_ -is [EnOS.Streaming.Pipeline] }).PipelineId | Should -Be 'pl-0003'
        }
    }

    Context 'error records' {
        It 'reports a pipeline that cannot be paused from its status as EnosPipelineStateConflict' {
            Get-EnosPipeline -PipelineId pl-0004 | Suspend-EnosPipeline -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors.Count | Should -Be 1
            $record = $errors[0]
            $record.FullyQualifiedErrorId | Should -Be 'EnosPipelineStateConflict,EnOS.Streaming.Commands.SuspendEnosPipelineCommand'
            $record.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $record.TargetObject | Should -Be 'pl-0004'
            $record.Exception | Should -BeOfType ([EnOS.Streaming.EnosApiException])
            $record.Exception.Code | Should -Be 61152
            $record.Exception.RequestId | Should -Not -BeNullOrEmpty
            "$record" | Should -Match "Cannot pause pipeline 'wind-line-4' \(pl-0004\): its current status is STOPPED"
        }

        It 'reports an unknown pipeline as EnosPipelineNotFound' {
            Suspend-EnosPipeline -PipelineId no-such-pipeline -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].TargetObject | Should -Be 'no-such-pipeline'
            $errors[0].Exception.Code | Should -Be 61108
        }

        It 'reports any other code as EnosApiError' {
            Suspend-EnosPipeline -PipelineId pl-0001 -OrgId 'another-org' -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosApiError,*'
            $errors[0].Exception.Code | Should -Be 61106
            $errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        }

        It 'goes on past failures in a bulk run, one error record per failed pipeline' {
            $ids = 'pl-0001', 'nope-1', 'pl-0004', 'pl-0002', 'nope-2', 'pl-0006'
            $ids | Suspend-EnosPipeline -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors.Count | Should -Be 3
            ($errors.TargetObject | Sort-Object) | Should -Be @('nope-1', 'nope-2', 'pl-0004')
            'pl-0001', 'pl-0002', 'pl-0006' | ForEach-Object { Get-EmulatorStatus $emulator $_ | Should -Be 'PAUSED' }
        }

        It 'turns the first error into a terminating one with -ErrorAction Stop' {
            { 'nope', 'pl-0001' | Suspend-EnosPipeline -Confirm:$false -ThrottleLimit 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'EnosPipelineNotFound,*'
            Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
        }

        It 'refuses an unusable id with a clear error, sending nothing for it' -TestCases @(
            @{ Id = '' }, @{ Id = '   ' }, @{ Id = "pl`n0001" }, @{ Id = ('x' * 300) }, @{ Id = '..' }, @{ Id = ' pl-0001' }
        ) {
            param($Id)
            Suspend-EnosPipeline -PipelineId $Id -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidPipelineId,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($errors[0])" | Should -Match 'Nothing was sent'
            (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Where-Object { $_.path -notlike 'apim-token*' } | Should -BeNullOrEmpty
        }

        It 'escapes an id as one path segment so it cannot change the request target' -TestCases @(
            @{ Id = '../pl-0001'; Raw = '..%2Fpl-0001' }
            @{ Id = 'pl-0001&action=stop'; Raw = 'pl-0001%26action%3Dstop' }
            @{ Id = 'pl-0001#x'; Raw = 'pl-0001%23x' }
            @{ Id = '%2e%2e'; Raw = '%252e%252e' }
            @{ Id = 'a/b'; Raw = 'a%2Fb' }
        ) {
            param($Id, $Raw)
            Suspend-EnosPipeline -PipelineId $Id -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

            $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
            $post = (Get-EmulatorRequests $emulator) | Where-Object method -EQ 'POST' | Select-Object -Last 1
            $post.pipelineId | Should -Be $Id
            $post.rawTarget | Should -Be "/streaming/v2.0/streaming/pipeline/$Raw`?action=pause&orgId=$($emulator.OrgId)"
            Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
        }
    }
}
