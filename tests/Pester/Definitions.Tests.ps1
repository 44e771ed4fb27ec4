# Pipeline definitions as code: Get/Export/Import/Set-EnosPipelineDefinition, New-EnosPipeline,
# promotion between two organisations (two emulators), Publish-EnosPipeline, Reset-EnosPipelineOffset.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $test = Start-EnosEmulator -Pipelines 6 -SystemPipelines 0
    $production = Start-EnosEmulator -Pipelines 3 -SystemPipelines 0 -OrgId 'o15500000000002'
    Connect-TestEmulator $test

    # The seeded configuration, exactly as the emulator keeps and sends it (keys not sorted).
    function Get-SeedJson([string] $Id) {
        '{"stages":[{"type":"input","topic":"stream_' + $Id + '"},{"type":"output","target":"tsdb"}],"alarm":{"mode":1},"kafkaRate":1000}'
    }

    function Get-Calls($Emulator, [string] $Pattern) {
        @(Get-EmulatorRequests $Emulator | Where-Object { $_.rawTarget -match $Pattern })
    }

    function Get-WhatIfLines([scriptblock] $Command, [hashtable] $Variables = @{}) {
        # "What if:" lines go to the host, not to a stream: a host of the test's own keeps them
        # (and keeps them out of the test run's output).
        $run = Invoke-WithCapturedHost $test $Command.ToString() -Variables $Variables
        $run.Errors | Should -BeNullOrEmpty
        @($run.Host | Where-Object { $_ -like 'What if:*' })
    }

    function Get-FileState([string] $Folder) {
        Get-ChildItem $Folder -File | Sort-Object Name | ForEach-Object { '{0} {1} {2}' -f $_.Name, (Get-FileHash $_.FullName).Hash, $_.LastWriteTimeUtc.Ticks }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $test
    Stop-EnosEmulator $production
}

Describe 'Get-EnosPipelineDefinition' {
    BeforeEach { Connect-TestEmulator $test; Clear-EmulatorRequests $test }

    It 'writes one definition per pipeline, the configuration exactly as sent and readable as objects' {
        $definitions = @(Get-EnosPipeline | Get-EnosPipelineDefinition)
        $definitions.Count | Should -Be 6
        $first = $definitions | Where-Object PipelineId -EQ 'pl-0001'
        $first | Should -BeOfType ([EnOS.Streaming.PipelineDefinition])
        $first.Name | Should -Be 'wind-line-1'
        $first.OrgId | Should -Be $test.OrgId
        $first.TemplateName | Should -Be 'Origin Template'
        $first.PipelineJson | Should -BeExactly (Get-SeedJson 'pl-0001')
        $first.Configuration.stages[0].topic | Should -Be 'stream_pl-0001'
        (Get-Calls $test '/pipeline/pl-0001\?').query.ifReleased | Should -Be 'false'
    }

    It 'writes one EnosPipelineNotFound per unknown id and goes on with the others' {
        $definitions = @(Get-EnosPipelineDefinition -PipelineId pl-0002, nope, pl-0003 -ErrorAction SilentlyContinue -ErrorVariable failed)
        $definitions.PipelineId | Sort-Object | Should -Be @('pl-0002', 'pl-0003')
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        $failed[0].TargetObject | Should -Be 'nope'
    }
}

Describe 'Export-EnosPipelineDefinition and Import-EnosPipelineDefinition' {
    BeforeAll {
        Connect-TestEmulator $test
        $folder = Join-Path $TestDrive 'definitions'
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder
        $before = Get-FileState $folder
    }

    It 'writes one file per pipeline, named after it, in a canonical form (keys sorted, LF, no BOM, final newline)' {
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be (1..6 | ForEach-Object { "wind-line-$_.json" })
        $bytes = [IO.File]::ReadAllBytes((Join-Path $folder 'wind-line-1.json'))
        $bytes[0] | Should -Be ([byte][char]'{')
        $text = [Text.Encoding]::UTF8.GetString($bytes)
        $text | Should -Not -Match "`r"
        $text | Should -Match "}`n$"
        $text.IndexOf('"alarm"') | Should -BeLessThan $text.IndexOf('"stages"')
        $text | Should -Match '(?m)^  "name": "wind-line-1",$'
    }

    It 'changes no byte (and no file time) when exporting again with nothing changed' {
        Start-Sleep -Milliseconds 20
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder
        Get-FileState $folder | Should -Be $before
    }

    It 'changes only the file of the pipeline that changed' {
        $changed = Get-EnosPipelineDefinition -PipelineId pl-0004
        $changed.PipelineJson = '{"kafkaRate":2000,"stages":[]}'
        Set-EnosPipelineDefinition -InputObject $changed -Confirm:$false
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder
        $after = Get-FileState $folder
        Compare-Object $before $after | Where-Object SideIndicator -EQ '=>' | ForEach-Object { ($_.InputObject -split ' ')[0] } | Should -Be 'wind-line-4.json'
    }

    It 'reads the files back without any network call' {
        Clear-EmulatorRequests $test
        $imported = @(Import-EnosPipelineDefinition -Path $folder)
        $imported.Count | Should -Be 6
        $one = $imported | Where-Object Name -EQ 'wind-line-1'
        $one.PipelineId | Should -Be 'pl-0001'
        $one.Path | Should -Be (Join-Path $folder 'wind-line-1.json')
        [EnOS.Streaming.PipelineDefinitionFile]::CanonicalJson($one.PipelineJson) |
            Should -BeExactly ([EnOS.Streaming.PipelineDefinitionFile]::CanonicalJson((Get-SeedJson 'pl-0001')))
        Get-EmulatorRequests $test | Should -BeNullOrEmpty
    }

    It 'gives two pipelines of one name a file each, told apart by id' {
        $twins = @(
            [EnOS.Streaming.PipelineDefinition]@{ PipelineId = 'pl-1'; Name = 'Twin'; PipelineJson = '{}' }
            [EnOS.Streaming.PipelineDefinition]@{ PipelineId = 'pl-2'; Name = 'twin'; PipelineJson = '{}' })
        $twins | Export-EnosPipelineDefinition -Path (Join-Path $TestDrive 'twins') -PassThru | ForEach-Object Name | Sort-Object |
            Should -Be @('Twin.pl-1.json', 'twin.pl-2.json')
    }

    It 'refuses each broken file with one error naming the file and what is wrong, and reads the others' {
        $mixed = Join-Path $TestDrive 'mixed'
        New-Item -ItemType Directory $mixed | Out-Null
        Copy-Item (Join-Path $folder 'wind-line-1.json') $mixed
        $broken = [ordered]@{
            'truncated.json' = '{"name": "a", "pipelineJson": {'
            'list.json'      = '[1, 2]'
            'noname.json'    = '{"pipelineJson": {}}'
            'string.json'    = '{"name": "a", "pipelineJson": "{}"}'
            'typo.json'      = '{"name": "a", "pipelinejson": {}}'
        }
        foreach ($name in $broken.Keys) { Set-Content -Path (Join-Path $mixed $name) -Value $broken[$name] -NoNewline }

        $imported = @(Import-EnosPipelineDefinition -Path $mixed -ErrorAction SilentlyContinue -ErrorVariable failed)
        $imported.Name | Should -Be 'wind-line-1'
        $failed.Count | Should -Be 5
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidDefinitionFile,*' }
        $byFile = @{}
        $failed | ForEach-Object { $byFile[(Split-Path $_.TargetObject -Leaf)] = "$_" }
        $byFile['truncated.json'] | Should -BeLike "Cannot import '*truncated.json': it is not valid JSON (line 1, position *"
        $byFile['list.json'] | Should -BeLike '*it holds a JSON array, not a pipeline definition*'
        $byFile['noname.json'] | Should -BeLike '*it has no "name"*'
        $byFile['string.json'] | Should -BeLike '*its "pipelineJson" is a JSON string, not an object*'
        $byFile['typo.json'] | Should -BeLike '*the field "pipelinejson", which a pipeline definition does not have*'
    }
}

Describe 'Set-EnosPipelineDefinition' {
    BeforeEach { Connect-TestEmulator $test; Clear-EmulatorRequests $test }

    It '-WhatIf says per pipeline whether the saved configuration would change, and saves nothing' {
        $definitions = @(Get-EnosPipelineDefinition -PipelineId pl-0001, pl-0002 | Sort-Object PipelineId) # answers come in any order
        $definitions[0].Version = '9.9'
        $lines = Get-WhatIfLines { $definitions | Set-EnosPipelineDefinition -WhatIf } @{ definitions = $definitions }
        $lines.Count | Should -Be 2
        $lines | Should -Contain "What if: Save pipeline 'wind-line-1' (pl-0001): the saved configuration would change (version)."
        $lines | Should -Contain "What if: Save pipeline 'wind-line-2' (pl-0002): no change: the saved configuration is already this definition, nothing would be sent."
        Get-Calls $test 'action=save' | Should -BeNullOrEmpty
    }

    It 'saves a changed definition (the body as documented) and leaves an unchanged one alone' {
        $definitions = @(Get-EnosPipelineDefinition -PipelineId pl-0005, pl-0006 | Sort-Object PipelineId)
        $definitions[0].PipelineJson = '{"stages": [ ], "kafkaRate": 500}'
        $saved = @($definitions | Set-EnosPipelineDefinition -Confirm:$false -PassThru)
        $saved.PipelineId | Sort-Object | Should -Be @('pl-0005', 'pl-0006')
        $saves = Get-Calls $test 'action=save'
        $saves.Count | Should -Be 1
        $saves[0].pipelineId | Should -Be 'pl-0005'
        $saves[0].body | Should -BeExactly '{"version":"1.1","name":"wind-line-5","templateType":2,"templateName":"Multi-Merging Template","messageChannel":0,"pipelineJson":{"stages":[],"kafkaRate":500}}'
        (Get-EnosPipelineDefinition -PipelineId pl-0005).PipelineJson | Should -BeExactly '{"stages":[],"kafkaRate":500}'
        # Saved, not released: the online configuration is the old one until Publish-EnosPipeline.
        (Get-EnosPipelineDefinition -PipelineId pl-0005 -Released).PipelineJson | Should -BeExactly (Get-SeedJson 'pl-0005')
    }

    It 'names every save it sent but did not report when a later command stops taking output' {
        $definitions = @(Get-EnosPipelineDefinition -PipelineId pl-0001, pl-0002, pl-0003, pl-0006)
        $definitions | ForEach-Object { $_.Version = '7.7' }
        $first = $definitions | Set-EnosPipelineDefinition -Confirm:$false -PassThru -ThrottleLimit 4 -WarningVariable warned -WarningAction SilentlyContinue |
            Select-Object -First 1
        $saved = @((Get-Calls $test 'action=save').pipelineId)
        $saved | Should -Contain $first.PipelineId
        if ($saved.Count -lt 2) { Set-ItResult -Inconclusive -Because 'the timing let only one save out before the stop' ; return }
        # Each pipeline saved is either the object taken or named in the warning.
        foreach ($id in $saved | Where-Object { $_ -ne $first.PipelineId }) { "$warned" | Should -BeLike "*($id)*" }
        "$warned" | Should -Not -BeLike "*($($first.PipelineId))*"
    }

    It 'under -ErrorAction Stop, writes every save already sent before the error ends the command' {
        $definitions = @(Get-EnosPipelineDefinition -PipelineId pl-0001, pl-0002, pl-0003, pl-0006)
        $definitions | ForEach-Object { $_.Version = '6.6' }
        $ghost = [EnOS.Streaming.PipelineDefinition]@{ Name = 'ghost'; OrgId = 'o-elsewhere'; PipelineJson = '{}' }
        $written = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        try { @($definitions + $ghost) | Set-EnosPipelineDefinition -PassThru -Confirm:$false -ErrorAction Stop | ForEach-Object { $written.Add($_) } }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        # How many saves go out before the ghost's error depends on timing (none, on a loaded
        # machine); whichever did must have been written.
        foreach ($id in @(Get-Calls $test 'action=save' | ForEach-Object { $_.pipelineId })) { $written.PipelineId | Should -Contain $id }
    }

    It 'refuses a configuration that is not JSON, naming it, and sends nothing' {
        $bad = [EnOS.Streaming.PipelineDefinition]@{ PipelineId = 'pl-0001'; OrgId = $test.OrgId; Name = 'wind-line-1'; PipelineJson = '{"stages": [' }
        Set-EnosPipelineDefinition -InputObject $bad -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosInvalidArgument,*'
        "$($failed[0])" | Should -BeLike "*PipelineJson is not valid JSON*"
        Get-Calls $test '/pipeline/' | Should -BeNullOrEmpty
    }

    It 'passes on the service''s refusal of an unknown pipeline as EnosPipelineNotFound' {
        $ghost = [EnOS.Streaming.PipelineDefinition]@{ PipelineId = 'pl-0999'; OrgId = $test.OrgId; Name = 'ghost'; PipelineJson = '{}' }
        Set-EnosPipelineDefinition -InputObject $ghost -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        Get-Calls $test 'action=save' | Should -BeNullOrEmpty
    }
}

Describe 'New-EnosPipeline' {
    BeforeEach { Connect-TestEmulator $test; Clear-EmulatorRequests $test }

    It 'creates a pipeline with Save Pipeline and the id null, and writes the new pipeline' {
        $definition = [EnOS.Streaming.PipelineDefinition]@{ Name = 'solar-line-1'; Version = '1.0'; TemplateType = 1; PipelineJson = '{"stages":[]}' }
        $created = New-EnosPipeline -InputObject $definition -Confirm:$false
        $created | Should -BeOfType ([EnOS.Streaming.Pipeline])
        $created.Name | Should -Be 'solar-line-1'
        $created.PipelineId | Should -Not -BeNullOrEmpty
        $created.Status | Should -Be 'Stopped'
        $save = Get-Calls $test 'action=save'
        $save.rawTarget | Should -BeLike '/streaming/v2.0/streaming/pipeline/null?action=save&orgId=*'
        (Get-EnosPipelineDefinition -PipelineId $created.PipelineId).PipelineJson | Should -BeExactly '{"stages":[]}'
    }

    It 'refuses a name the organisation already has (EnosPipelineExists), so a second run creates nothing' {
        $definition = [EnOS.Streaming.PipelineDefinition]@{ Name = 'wind-line-2'; PipelineJson = '{}' }
        New-EnosPipeline -InputObject $definition -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineExists,*'
        "$($failed[0])" | Should -BeLike "*already has a pipeline of that name (pl-0002)*"
        Get-Calls $test 'action=save' | Should -BeNullOrEmpty
    }

    It '-WhatIf says it would create the pipeline, and sends nothing' {
        $definition = [EnOS.Streaming.PipelineDefinition]@{ Name = 'solar-line-2'; PipelineJson = '{}' }
        Get-WhatIfLines { New-EnosPipeline -InputObject $definition -WhatIf } @{ definition = $definition } | Should -BeLike "What if: Create pipeline 'solar-line-2': no pipeline of this name in organisation '*': would create it."
        Get-Calls $test 'action=save' | Should -BeNullOrEmpty
    }
}

Describe 'Promotion from a test organisation to production' {
    It 'exports from one organisation and saves into the other by name, creating the missing ones only when asked' {
        Connect-TestEmulator $test
        $folder = Join-Path $TestDrive 'promotion'
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder
        $expected = @{}
        Get-EnosPipeline | Get-EnosPipelineDefinition | ForEach-Object { $expected[$_.Name] = [EnOS.Streaming.PipelineDefinitionFile]::CanonicalJson($_.PipelineJson) }

        Connect-TestEmulator $production
        Clear-EmulatorRequests $production
        $definitions = @(Import-EnosPipelineDefinition -Path $folder)

        # Without -CreateMissing: production's three are matched by name, the others refused.
        $definitions | Set-EnosPipelineDefinition -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable missing
        @($missing).Count | Should -Be ($definitions.Count - 3)
        $missing | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*' }
        Get-Calls $production 'pipeline/null' | Should -BeNullOrEmpty

        $promoted = @($definitions | Set-EnosPipelineDefinition -CreateMissing -Confirm:$false -PassThru)
        $promoted.Count | Should -Be $definitions.Count
        $promoted | ForEach-Object { $_.OrgId | Should -Be $production.OrgId }
        foreach ($pipeline in Get-EnosPipeline) {
            $saved = Get-EnosPipelineDefinition -PipelineId $pipeline.PipelineId
            [EnOS.Streaming.PipelineDefinitionFile]::CanonicalJson($saved.PipelineJson) | Should -BeExactly $expected[$pipeline.Name]
        }
        (Get-EnosPipeline).Name | Sort-Object | Should -Be ($expected.Keys | Sort-Object)

        # Run again: everything is already there, so nothing is sent.
        Clear-EmulatorRequests $production
        $definitions | Set-EnosPipelineDefinition -CreateMissing -Confirm:$false
        Get-Calls $production 'action=save' | Should -BeNullOrEmpty
    }
}

Describe 'A name that several pipelines share' {
    It 'is EnosPipelineNameNotUnique naming them, and nothing is saved' {
        Connect-TestEmulator $production
        Invoke-EnosEmulatorAdmin $production 'pipelines/pl-0003/name' -Method PUT -Body @{ name = 'wind-line-2' } | Out-Null
        Clear-EmulatorRequests $production
        $definition = [EnOS.Streaming.PipelineDefinition]@{ PipelineId = 'pl-9'; OrgId = 'o-elsewhere'; Name = 'wind-line-2'; PipelineJson = '{"x":1}' }
        Set-EnosPipelineDefinition -InputObject $definition -CreateMissing -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNameNotUnique,*'
        "$($failed[0])" | Should -BeLike '*2 pipelines are named ''wind-line-2''*(pl-0002, pl-0003)*'
        Get-Calls $production 'action=save' | Should -BeNullOrEmpty
    }
}

Describe 'Publish-EnosPipeline' {
    BeforeEach { Connect-TestEmulator $test; Reset-EmulatorPipelines $test -Count 6; Clear-EmulatorRequests $test }

    It 'releases a stopped pipeline: the saved configuration goes online and it is PUBLISHED' {
        $definition = Get-EnosPipelineDefinition -PipelineId pl-0004
        $definition.PipelineJson = '{"release":"me"}'
        # Set's -PassThru binds to Publish by PipelineId and OrgId, as the help's example does it.
        $published = $definition | Set-EnosPipelineDefinition -Confirm:$false -PassThru | Publish-EnosPipeline -Confirm:$false -PassThru
        $published.Status | Should -Be 'Published'
        $published.PipelineId | Should -Be 'pl-0004'
        Get-EmulatorStatus $test 'pl-0004' | Should -Be 'PUBLISHED'
        (Get-EnosPipelineDefinition -PipelineId pl-0004 -Released).PipelineJson | Should -BeExactly '{"release":"me"}'
    }

    It 'refuses a running pipeline with EnosPipelineStateConflict naming its status' {
        Publish-EnosPipeline -PipelineId pl-0001 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        "$($failed[0])" | Should -BeLike '*its current status is RUNNING*'
        Get-EmulatorStatus $test 'pl-0001' | Should -Be 'RUNNING'
    }

    It '-WhatIf names the pipeline and sends nothing' {
        Get-WhatIfLines { Get-EnosPipeline -PipelineId pl-0003 | Publish-EnosPipeline -WhatIf } | Should -BeLike "*Release*on target ""pipeline 'wind-line-3' (pl-0003)""*"
        Get-Calls $test 'action=release' | Should -BeNullOrEmpty
    }
}

Describe 'Reset-EnosPipelineOffset' {
    BeforeEach { Connect-TestEmulator $test; Reset-EmulatorPipelines $test -Count 6; Clear-EmulatorRequests $test }

    It 'asks first (ConfirmImpact High); -Force resets a paused pipeline with a bodyless POST, and it resumes with no backlog' {
        (Get-Command Reset-EnosPipelineOffset).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
            Should -Be 'High'
        $result = Get-EnosPipeline -PipelineId pl-0003 | Reset-EnosPipelineOffset -Force -PassThru
        $result.Status | Should -Be 'Paused'
        $reset = Get-Calls $test '/offset\?'
        $reset.method | Should -Be 'POST'
        $reset.body | Should -BeNullOrEmpty
        (Invoke-EnosEmulatorAdmin $test 'pipelines/pl-0003').offsetResets | Should -Be 1
        Resume-EnosPipeline -PipelineId pl-0003 -Confirm:$false
        (Get-EnosPipelineLag -PipelineId pl-0003).Lag | Sort-Object -Unique | Should -Be 0
    }

    It 'refuses a running pipeline (EnosPipelineStateConflict) and 61168 is EnosKafkaRateUnavailable' {
        Invoke-EnosEmulatorAdmin $test 'pipelines/pl-0004/kafka-rate' -Method PUT -Body @{ available = $false } | Out-Null
        try {
            Reset-EnosPipelineOffset -PipelineId pl-0001, pl-0004 -Force -ErrorAction SilentlyContinue -ErrorVariable failed
        }
        finally { Invoke-EnosEmulatorAdmin $test 'pipelines/pl-0004/kafka-rate' -Method PUT -Body @{ available = $true } | Out-Null }
        $failed.Count | Should -Be 2
        $byId = @{}
        $failed | ForEach-Object { $byId[$_.TargetObject] = $_ }
        $byId['pl-0001'].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineStateConflict,*'
        "$($byId['pl-0001'])" | Should -BeLike '*RUNNING*'
        $byId['pl-0004'].FullyQualifiedErrorId | Should -BeLike 'EnosKafkaRateUnavailable,*'
        $byId['pl-0004'].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It '-WhatIf wins over -Force: it names the pipeline and sends nothing' {
        Get-WhatIfLines { Reset-EnosPipelineOffset -PipelineId pl-0003 -Force -WhatIf } | Should -BeLike "*Reset the offset*on target ""pipeline 'pl-0003'""*"
        Get-Calls $test '/offset\?' | Should -BeNullOrEmpty
    }
}
