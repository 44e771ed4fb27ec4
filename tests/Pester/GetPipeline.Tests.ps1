BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # 30 pipelines in pages of at most 7: the module asks for more and must follow.
    $emulator = Start-EnosEmulator -Pipelines 30 -SystemPipelines 2 -PageCap 7
    Connect-TestEmulator $emulator
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Get-EnosPipeline' {
    It 'lists every pipeline once, across pages capped below the asked size' {
        Clear-EmulatorRequests $emulator
        $pipelines = Get-EnosPipeline

        $pipelines.Count | Should -Be 30
        ($pipelines.PipelineId | Sort-Object -Unique).Count | Should -Be 30
        $pages = (Get-EmulatorRequests $emulator) | Where-Object { $_.path -like '*pipelines' }
        $pages.Count | Should -Be 5
        [int]$pages[0].query.pageSize | Should -BeGreaterThan 7
    }

    It 'writes typed pipelines with the fields the API sent' {
        $pipeline = Get-EnosPipeline -PipelineId pl-0001
        $pipeline | Should -BeOfType ([EnOS.Streaming.Pipeline])
        $pipeline.Name | Should -Be 'wind-line-1'
        $pipeline.Status | Should -Be ([EnOS.Streaming.PipelineStatus]::Running)
        $pipeline.StatusText | Should -Be 'RUNNING'
        $pipeline.OrgId | Should -Be $emulator.OrgId
        $pipeline.ExecutionMode | Should -Be 'Cluster'
        $pipeline.TemplateType | Should -Be 1
        $pipeline.Version | Should -Be '1.1'
        $pipeline.UpdateTime | Should -BeOfType ([datetime])
        $pipeline.UpdateTime | Should -Be ([datetime]::new(2026, 11, 20, 8, 15, 0, [DateTimeKind]::Utc))
        $pipeline.UpdateTime.Kind | Should -Be 'Utc'
        $pipeline.UpdateTimeText | Should -Be '2026-11-20 08:15:00'
        $pipeline.IsSystem | Should -BeFalse
    }

    It 'filters by update time as a date, not as text' {
        $cutoff = [datetime]::new(2026, 11, 21, 0, 0, 0, [DateTimeKind]::Utc)
        @(Get-EnosPipeline | Where-Object UpdateTime -lt $cutoff).Count | Should -Be 30
        @(Get-EnosPipeline | Where-Object UpdateTime -gt $cutoff).Count | Should -Be 0
    }

    It 'agrees with the service on every status' {
        $expected = @{}
        Invoke-EnosEmulatorAdmin $emulator 'pipelines' | Where-Object pipelineId -Like 'pl-*' | ForEach-Object { $expected[$_.pipelineId] = $_.status }
        foreach ($pipeline in Get-EnosPipeline) {
            $pipeline.Status.ToString().ToUpperInvariant() | Should -Be $expected[$pipeline.PipelineId]
        }
    }

    It 'filters by status' {
        $running = Get-EnosPipeline -Status Running
        $running.Count | Should -Be 12
        $running.Status | Sort-Object -Unique | Should -Be 'Running'
        (Get-EnosPipeline -Status Paused, Stopped).Count | Should -Be 12
    }

    It 'filters by name with wildcards, case-insensitively' {
        (Get-EnosPipeline -Name 'WIND-LINE-1*').Name | Sort-Object | Should -Be @(
            'wind-line-1', 'wind-line-10', 'wind-line-11', 'wind-line-12', 'wind-line-13', 'wind-line-14',
            'wind-line-15', 'wind-line-16', 'wind-line-17', 'wind-line-18', 'wind-line-19')
        (Get-EnosPipeline 'wind-line-2?').Count | Should -Be 10
    }

    It 'reports a name without wildcards that matches nothing, and goes on' {
        $found = Get-EnosPipeline -Name 'wind-line-3', 'no-such-line' -ErrorVariable errors -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'wind-line-3'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        $errors[0].TargetObject | Should -Be 'no-such-line'
    }

    It 'finds pipelines by id, reporting the ids that do not exist' {
        $found = Get-EnosPipeline -PipelineId pl-0002, nope, pl-0029 -ErrorVariable errors -ErrorAction SilentlyContinue
        $found.PipelineId | Sort-Object | Should -Be @('pl-0002', 'pl-0029')
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'nope'
    }

    It 'stops listing as soon as every asked-for id is found' {
        Clear-EmulatorRequests $emulator
        Get-EnosPipeline -PipelineId pl-0001 | Out-Null
        # Page 1 has it; at most the prefetched page 2 was also asked for.
        @((Get-EmulatorRequests $emulator) | Where-Object { $_.path -like '*pipelines' }).Count | Should -BeLessOrEqual 2
    }

    It 'includes system pipelines only with -IncludeSystem' {
        (Get-EnosPipeline).PipelineId | Should -Not -Contain 'sys-0001'
        $all = Get-EnosPipeline -IncludeSystem
        $all.PipelineId | Should -Contain 'sys-0001'
        $all.Count | Should -Be 32
    }

    It 'says to add -IncludeSystem for the id of a system pipeline' {
        Get-EnosPipeline -PipelineId 'sys-0001', 'pl-9999' -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors.Count | Should -Be 2
        $system = $errors | Where-Object TargetObject -EQ 'sys-0001'
        $system.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        "$system" | Should -BeLike '*system pipeline*-IncludeSystem*'
        $system.ErrorDetails.RecommendedAction | Should -BeLike '*-IncludeSystem*'
        "$($errors | Where-Object TargetObject -EQ 'pl-9999')" | Should -Not -BeLike '*IncludeSystem*'
    }

    It 'matches -PipelineId with wildcards, as -Name' {
        $found = Get-EnosPipeline -PipelineId 'pl-000*', 'PL-001?', 'pl-0025'
        $found.PipelineId | Should -Be (@(1..9) + @(10..19) + 25 | ForEach-Object { 'pl-{0:D4}' -f $_ })
    }

    It 'refuses a wildcard id in a state-changing command, sends nothing, and says to pipe Get-EnosPipeline' {
        Clear-EmulatorRequests $emulator
        Suspend-EnosPipeline -PipelineId 'pl-000*', 'pl-0001?action=stop' -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 2
        $errors[1].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidPipelineId,*'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidPipelineId,*'
        "$($errors[0])" | Should -BeLike "*Get-EnosPipeline -PipelineId 'pl-000``*' | Suspend-EnosPipeline*"
        Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST' | Where-Object path -NotLike 'apim-token*' | Should -BeNullOrEmpty
    }

    It 'binds ids by property name from piped objects' {
        $found = [pscustomobject]@{ PipelineId = 'pl-0005' }, [pscustomobject]@{ PipelineId = 'pl-0006' } | Get-EnosPipeline
        $found.PipelineId | Should -Be @('pl-0005', 'pl-0006')
    }
}

Describe 'Get-EnosPipeline with piped input' {
    BeforeAll { Connect-TestEmulator $emulator }

    It 'takes plain id strings from the pipeline' {
        ('pl-0003', 'pl-0004' | Get-EnosPipeline).PipelineId | Should -Be @('pl-0003', 'pl-0004')
    }

    It 'writes nothing, rather than everything, when the piped input names no pipeline' -TestCases @(
        @{ Label = 'an empty list'; Make = { @() } }
        @{ Label = 'a filter that matched nothing'; Make = { Get-EnosPipeline | Where-Object Name -EQ 'nothing' } }
        @{ Label = '$null'; Make = { $null } }
    ) {
        param($Label, $Make)
        $result = & $Make | Get-EnosPipeline -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty -Because "$Label must not mean 'all pipelines'"
    }
}
