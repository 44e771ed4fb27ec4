# Definitions as code that never overwrites, reverts or escapes (issue 19): links and special
# files, file names unique by construction, stale files, strict files, an edited pipelineId,
# -WhatIf per file, the summary line, and a 500-definition round trip, against the emulator and
# the real file system.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 8 -SystemPipelines 0
    Connect-TestEmulator $emulator

    function Get-Calls([string] $Pattern) {
        @(Get-EmulatorRequests $emulator | Where-Object { $_.rawTarget -match $Pattern })
    }

    function New-Folder([string] $Name) {
        New-Item -ItemType Directory (Join-Path $TestDrive $Name) -Force | Select-Object -ExpandProperty FullName
    }

    # Every file and link under $Root, except those under $Except, with its content's hash (a link: its target).
    function Get-TreeState([string] $Root, [string] $Except) {
        Get-ChildItem $Root -Recurse -Force -Attributes !ReparsePoint, ReparsePoint | Where-Object { -not $_.FullName.StartsWith($Except) } |
            Sort-Object FullName | ForEach-Object {
                if ($_.LinkTarget) { '{0} -> {1}' -f $_.FullName, $_.LinkTarget }
                elseif ($_.PSIsContainer) { "$($_.FullName)/" }
                else { '{0} {1}' -f $_.FullName, (Get-FileHash $_.FullName).Hash }
            }
    }

    function Invoke-Bounded([scriptblock] $Script, [hashtable] $Variables = @{}, [int] $Seconds = 60) {
        # A FIFO opened for reading waits for a writer for ever: run the command where a hang is a failed test, not a stuck run.
        $ps = [powershell]::Create()
        foreach ($name in $Variables.Keys) { $ps.Runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; " + $Script.ToString())
        $async = $ps.BeginInvoke()
        $finished = $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($Seconds))
        if (-not $finished) { $null = $ps.BeginStop($null, $null); throw "The command did not finish within $Seconds s." }
        [pscustomobject]@{ Output = @($ps.EndInvoke($async)); Errors = @($ps.Streams.Error) }
    }

    function Get-WhatIfLines([string] $Script, [hashtable] $Variables = @{}) {
        $run = Invoke-WithCapturedHost $emulator $Script -Variables $Variables
        $run.Errors | Should -BeNullOrEmpty
        @($run.Host | Where-Object { $_ -like 'What if:*' })
    }

    function New-Definition([string] $Id, [string] $Name, [string] $Json = '{"stages":[]}') {
        [EnOS.Streaming.PipelineDefinition]@{ PipelineId = $Id; OrgId = $emulator.OrgId; Name = $Name; PipelineJson = $Json }
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Export-EnosPipelineDefinition never writes through a link' {
    BeforeEach { Reset-EmulatorPipelines $emulator -Count 8 }

    It 'refuses a file link, a dangling link and a folder link, one error per pipeline naming the file; writes the others; nothing outside changes' {
        $root = New-Folder 'links'
        $folder = New-Folder 'links/export'
        $outside = New-Folder 'links/outside'
        Set-Content (Join-Path $outside 'precious.txt') 'keep me' -NoNewline
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'wind-line-1.json') -Target (Join-Path $outside 'precious.txt') | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'wind-line-2.json') -Target (Join-Path $outside 'new.json') | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'wind-line-3.json') -Target $outside | Out-Null
        $before = Get-TreeState $root $folder

        $definitions = @(Get-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003, pl-0004 | Get-EnosPipelineDefinition)
        $definitions | Export-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable told

        $failed.Count | Should -Be 3
        foreach ($record in $failed) {
            $record.FullyQualifiedErrorId | Should -BeLike 'EnosExportFailed,*'
            "$record" | Should -BeLike "Cannot export the definition of pipeline 'wind-line-?' (pl-000?) to '$folder*wind-line-?.json': it is a symbolic link, which Export never writes through*"
        }
        @($failed.TargetObject | Split-Path -Leaf | Sort-Object) | Should -Be @('wind-line-1.json', 'wind-line-2.json', 'wind-line-3.json')
        Get-TreeState $root $folder | Should -Be $before
        Get-Content (Join-Path $outside 'precious.txt') -Raw | Should -Be 'keep me'
        Test-Path (Join-Path $outside 'new.json') | Should -BeFalse
        (Import-EnosPipelineDefinition -LiteralPath (Join-Path $folder 'wind-line-4.json') -InformationAction SilentlyContinue).PipelineId | Should -Be 'pl-0004'
        # Every input is one file written or one error.
        "$($told.MessageData)" | Should -Be '1 written, 0 unchanged, 0 removed, 3 failed.'
    }

    It 'replaces a hard link to a file outside by a file of its own: the file outside keeps its bytes' {
        $folder = New-Folder 'hardlink/export'
        $outside = Join-Path (New-Folder 'hardlink/outside') 'wind-line-5.json'
        Set-Content $outside '{"name":"wind-line-5","pipelineJson":{"old":true}}' -NoNewline
        New-Item -ItemType HardLink -Path (Join-Path $folder 'wind-line-5.json') -Target $outside | Out-Null
        Get-EnosPipelineDefinition -PipelineId pl-0005 | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        Get-Content $outside -Raw | Should -Be '{"name":"wind-line-5","pipelineJson":{"old":true}}'
        (Import-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue).PipelineId | Should -Be 'pl-0005'
    }
}

Describe 'Import-EnosPipelineDefinition reads only plain files, and at most 16 MiB of each' {
    It 'refuses links, /dev/zero, a FIFO and a file over 16 MiB, one error each naming the file; the good files come through' {
        $folder = New-Folder 'specials'
        Get-EnosPipeline -PipelineId pl-0001, pl-0002 | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        $outside = Join-Path (New-Folder 'specials-outside') 'elsewhere.json'
        Copy-Item (Join-Path $folder 'wind-line-1.json') $outside
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'zero.json') -Target '/dev/zero' | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'link.json') -Target $outside | Out-Null
        $big = [IO.File]::Create((Join-Path $folder 'big.json'))
        $big.SetLength(16MB + 1)
        $big.Dispose()
        $expected = @('big.json', 'link.json', 'zero.json')
        if (Get-Command mkfifo -ErrorAction SilentlyContinue) {
            mkfifo (Join-Path $folder 'fifo.json')
            $expected += 'fifo.json'
        }

        $run = Invoke-Bounded { Import-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue } @{ folder = $folder }
        @($run.Output.PipelineId | Sort-Object) | Should -Be @('pl-0001', 'pl-0002')
        $run.Errors.Count | Should -Be $expected.Count
        @($run.Errors.TargetObject | Split-Path -Leaf | Sort-Object) | Should -Be ($expected | Sort-Object)
        $byFile = @{}
        $run.Errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidDefinitionFile,*'; $byFile[(Split-Path $_.TargetObject -Leaf)] = "$_" }
        $byFile['zero.json'] | Should -BeLike "Cannot import '*zero.json': it is a symbolic link, which is never followed*"
        $byFile['link.json'] | Should -BeLike '*it is a symbolic link*'
        $byFile['big.json'] | Should -BeLike '*it holds 16777217 bytes; a definition file holds at most 16777216 (16 MiB)*'
        if ($byFile.ContainsKey('fifo.json')) { $byFile['fifo.json'] | Should -BeLike '*not a plain file (a FIFO, device or socket reports no length); it was not opened*' }
    }

    It 'refuses /dev/zero named directly without reading it' {
        $run = Invoke-Bounded { Import-EnosPipelineDefinition -LiteralPath /dev/zero -InformationAction SilentlyContinue }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        "$($run.Errors[0])" | Should -BeLike "Cannot import '/dev/zero': it is empty, or not a plain file*"
    }
}

Describe 'File names unique by construction' {
    It 'gives every definition its own file when names collide, also after case, reserved-name and character mapping' {
        $definitions = @(
            New-Definition 'pl-0001' 'x'
            New-Definition 'pl-0002' 'x'
            New-Definition 'pl-0003' 'x.pl-0002'
            New-Definition 'pl-0004' 'X'
            New-Definition 'pl-0005' 'CON'
            New-Definition 'pl-0006' 'con'
            New-Definition 'pl-0007' 'a:b'
            New-Definition 'pl-0008' 'a?b'
            New-Definition 'pl-0009' '_CON'
            New-Definition 'pl-0010' ('Caf' + [char]0x00E9)
            New-Definition 'pl-0011' ('cafe' + [char]0x0301))
        $folder = New-Folder 'collisions'
        $files = @($definitions | Export-EnosPipelineDefinition -Path $folder -PassThru -InformationAction SilentlyContinue)
        $files.Count | Should -Be $definitions.Count
        @($files.Name | Sort-Object -Unique { $_.ToUpperInvariant().Normalize() }).Count | Should -Be $definitions.Count
        (Get-ChildItem $folder -File).Count | Should -Be $definitions.Count
        @(Import-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue).PipelineId | Sort-Object | Should -Be ($definitions.PipelineId | Sort-Object)
        $files.Name | Should -Contain 'x.pl-0002.pl-0003.json'
    }

    It 'refuses the same pipeline twice in one export loudly, writing neither' {
        $folder = New-Folder 'twice'
        $one = New-Definition 'pl-0001' 'same'
        @($one, (New-Definition 'pl-0001' 'same' '{"other":1}'), (New-Definition 'pl-0002' 'fine')) |
            Export-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable told
        $failed.Count | Should -Be 2
        "$($failed[0])" | Should -BeLike "*pipeline 'same' (pl-0001) of this export would be written to the same file*Nothing was written for any of them."
        (Get-ChildItem $folder).Name | Should -Be 'fine.json'
        "$($told.MessageData)" | Should -Be '1 written, 0 unchanged, 0 removed, 2 failed.'
    }
}

Describe 'Names too long for a file, and an Export killed half-way' {
    It 'writes a file for every name, however long (at most 255 bytes a file name), and reads them all back' {
        $folder = New-Folder 'long'
        $definitions = @(
            New-Definition 'pl-0001' ('a' * 240)
            New-Definition 'pl-0002' ('b' * 260)
            New-Definition 'pl-0003' ([string]::new([char]0x4E2D, 90))
            New-Definition 'pl-0004' (('b' * 260) + '-other'))   # the same first 250 bytes as pl-0002
        $files = @($definitions | Export-EnosPipelineDefinition -Path $folder -PassThru -ErrorVariable failed -InformationVariable told)
        $failed | Should -BeNullOrEmpty
        "$($told.MessageData)" | Should -Be '4 written, 0 unchanged, 0 removed, 0 failed.'
        $files.Count | Should -Be 4
        $files | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount($_.Name) | Should -BeLessOrEqual 255 }
        $files[0].Name | Should -Be "$('a' * 240).json"
        $files[1].Name | Should -BeLike 'bbbb*.pl-0002.json'
        @(Get-ChildItem $folder -Force).Count | Should -Be 4
        @(Import-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue | Sort-Object PipelineId).Name | Should -Be $definitions.Name
    }

    It 'removes the temporary file an interrupted Export left (not under -WhatIf), and Import never reads it' {
        $folder = New-Folder 'interrupted'
        $definition = New-Definition 'pl-0001' 'line-1'
        $definition | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        # What a kill between writing the new file and renaming it leaves: a whole definition under the temporary name.
        $leftover = Join-Path $folder '.enos-export-0123456789abcdef0123456789abcdef.tmp'
        Copy-Item (Join-Path $folder 'line-1.json') $leftover
        Set-Content (Join-Path $folder 'mine.tmp') 'not Export''s'

        (Import-EnosPipelineDefinition -Path $folder -ErrorVariable failed -InformationAction SilentlyContinue).PipelineId | Should -Be 'pl-0001'
        $failed | Should -BeNullOrEmpty

        $lines = Get-WhatIfLines 'Export-EnosPipelineDefinition -InputObject $definition -Path $folder -WhatIf' -Variables @{ definition = $definition; folder = $folder }
        $lines | Should -Contain "What if: Performing the operation ""Remove the temporary file left by an Export that was interrupted"" on target ""$leftover""."
        Test-Path $leftover | Should -BeTrue

        $definition | Export-EnosPipelineDefinition -Path $folder -InformationVariable told
        "$($told.MessageData)" | Should -Be '0 written, 1 unchanged, 0 removed, 0 failed.'
        @(Get-ChildItem $folder -Force).Name | Sort-Object | Should -Be @('line-1.json', 'mine.tmp')
    }
}

Describe 'Stale files after a rename or a deletion' {
    BeforeAll {
        $folder = New-Folder 'stale'
        $definitions = @(1..3 | ForEach-Object { New-Definition "pl-000$_" "line-$_" })
        $definitions | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        Set-Content (Join-Path $folder 'notes.json') '{"not":"a definition"}'
        Set-Content (Join-Path $folder 'README.md') 'hand-written'
        New-Item -ItemType Directory (Join-Path $folder 'sub.json') | Out-Null
        $renamed = @((New-Definition 'pl-0001' 'line-1-renamed'), $definitions[1])   # pl-0003 deleted
    }

    It '-WhatIf says per file what would be written, left alone and removed, and changes nothing' {
        $before = Get-TreeState $folder 'none'
        $run = Invoke-WithCapturedHost $emulator 'Export-EnosPipelineDefinition -InputObject $renamed -Path $folder -WhatIf' -Variables @{ renamed = $renamed; folder = $folder }
        $run.Errors | Should -BeNullOrEmpty
        # Two definitions in: one skipped, one unchanged; the two stale files are counted apart.
        $run.Host | Should -Contain '0 written, 1 unchanged, 0 removed, 0 failed, 1 skipped, 2 stale not removed (-WhatIf or not confirmed).'
        $lines = @($run.Host | Where-Object { $_ -like 'What if:*' })
        $lines.Count | Should -Be 4
        $lines | Should -Contain "What if: Performing the operation ""Create the definition file of pipeline 'line-1-renamed' (pl-0001)"" on target ""$(Join-Path $folder 'line-1-renamed.json')""."
        $lines | Should -Contain "What if: Performing the operation ""Leave the definition of pipeline 'line-2' (pl-0002) as it is (already up to date)"" on target ""$(Join-Path $folder 'line-2.json')""."
        $lines | Should -Contain "What if: Performing the operation ""Remove the stale definition file of pipeline 'line-1' (pl-0001) (not in this export)"" on target ""$(Join-Path $folder 'line-1.json')""."
        $lines | Should -Contain "What if: Performing the operation ""Remove the stale definition file of pipeline 'line-3' (pl-0003) (not in this export)"" on target ""$(Join-Path $folder 'line-3.json')""."
        Get-TreeState $folder 'none' | Should -Be $before
    }

    It '-KeepStale keeps them, with a warning naming each file and pipeline' {
        $renamed | Export-EnosPipelineDefinition -Path $folder -KeepStale -WarningVariable warned -WarningAction SilentlyContinue -InformationVariable told
        $warned.Count | Should -Be 2
        "$($warned[0])" | Should -BeLike "'*line-1.json' holds the definition of pipeline 'line-1' (pl-0001), which this export did not write*kept (-KeepStale)."
        Test-Path (Join-Path $folder 'line-1.json') | Should -BeTrue
        "$($told.MessageData)" | Should -Be '1 written, 1 unchanged, 2 stale kept, 0 failed.'
    }

    It 'removes the definition files of pipelines not written, and nothing else' {
        $renamed | Export-EnosPipelineDefinition -Path $folder -InformationVariable told
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('line-1-renamed.json', 'line-2.json', 'notes.json', 'README.md', 'sub.json')
        "$($told.MessageData)" | Should -Be '0 written, 2 unchanged, 2 removed, 0 failed.'
    }

    It 'leaves a read-only file alone, written or stale, with one error each; writes and removes the others and ends with the summary' {
        $pinned = New-Folder 'pinned'
        @((New-Definition 'pl-0001' 'one'), (New-Definition 'pl-0002' 'two'), (New-Definition 'pl-0003' 'three'), (New-Definition 'pl-0004' 'four')) |
            Export-EnosPipelineDefinition -Path $pinned -InformationAction SilentlyContinue
        # Read-only: someone's "do not change". Windows refuses to replace or delete it; a rename on Linux would not.
        foreach ($name in 'two.json', 'four.json') { (Get-Item (Join-Path $pinned $name)).IsReadOnly = $true }
        $before = @{ two = Get-Content (Join-Path $pinned 'two.json') -Raw; four = Get-Content (Join-Path $pinned 'four.json') -Raw }

        @((New-Definition 'pl-0001' 'one' '{"changed":1}'), (New-Definition 'pl-0004' 'four' '{"changed":4}')) |
            Export-EnosPipelineDefinition -Path $pinned -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable told
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosExportFailed,*' }
        "$($failed[0])" | Should -BeLike "Cannot export the definition of pipeline 'four' (pl-0004) to '*four.json': it is read-only, and Export never replaces or removes a file made read-only*"
        "$($failed[1])" | Should -BeLike "Cannot remove the stale definition file '*two.json' of pipeline 'two' (pl-0002): it is read-only*"
        "$($told.MessageData)" | Should -Be '1 written, 0 unchanged, 1 removed (1 could not be), 1 failed.'
        (Get-ChildItem $pinned).Name | Sort-Object | Should -Be @('four.json', 'one.json', 'two.json')
        (Get-Item (Join-Path $pinned 'four.json')).IsReadOnly | Should -BeTrue
        Get-Content (Join-Path $pinned 'four.json') -Raw | Should -Be $before.four
        Get-Content (Join-Path $pinned 'two.json') -Raw | Should -Be $before.two
    }

    It 'removes nothing, and warns, when no definition came at all' {
        @() | Export-EnosPipelineDefinition -Path $folder -WarningVariable warned -WarningAction SilentlyContinue -InformationAction SilentlyContinue
        "$warned" | Should -BeLike '*nothing in*was removed as stale*'
        (Get-ChildItem $folder -Filter 'line-*').Count | Should -Be 2
    }
}

Describe 'Two definitions of one pipeline in one run' {
    BeforeEach { Clear-EmulatorRequests $emulator }

    It 'Import refuses both files with one error naming both; the others come through' {
        $folder = New-Folder 'duplicates'
        Get-EnosPipeline -PipelineId pl-0001, pl-0002 | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        $old = Get-Content (Join-Path $folder 'wind-line-1.json') -Raw
        Set-Content (Join-Path $folder 'old-name.json') ($old -replace '"wind-line-1"', '"old-name"') -NoNewline
        $imported = @(Import-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable told)
        $imported.PipelineId | Should -Be 'pl-0002'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosDuplicateDefinition,*'
        $failed[0].TargetObject | Should -Be 'pl-0001'
        "$($failed[0])" | Should -BeLike "2 definitions are of pipeline 'pl-0001': '*old-name.json' ('old-name') and '*wind-line-1.json' ('wind-line-1'). Neither was used."
        "$($told.MessageData)" | Should -Be '1 read, 2 failed.'
    }

    It 'Set refuses both, whichever comes first, and saves neither' {
        $stale = New-Definition 'pl-0003' 'wind-line-3' '{"stale":true}'
        $fresh = New-Definition 'pl-0003' 'wind-line-3-renamed' '{"fresh":true}'
        foreach ($order in @(@($stale, $fresh), @($fresh, $stale))) {
            $order | Set-EnosPipelineDefinition -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosDuplicateDefinition,*'
        }
        Get-Calls 'action=save' | Should -BeNullOrEmpty
    }
}

Describe 'Strict definition files' {
    It 'refuses duplicate keys and lone surrogates, one error per file with the position; the good files come through' {
        $folder = New-Folder 'strict'
        Get-EnosPipeline -PipelineId pl-0001, pl-0002, pl-0003, pl-0004 | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        Set-Content (Join-Path $folder 'twice.json') "{`n  ""name"": ""a"",`n  ""pipelineId"": ""pl-0001"",`n  ""pipelineId"": ""pl-0002"",`n  ""pipelineJson"": {}`n}" -NoNewline
        Set-Content (Join-Path $folder 'nested.json') '{"name": "b", "pipelineJson": {"x": 1, "x": 2}}' -NoNewline
        Set-Content (Join-Path $folder 'surrogate.json') '{"name": "c\ud800", "pipelineJson": {}}' -NoNewline
        Set-Content (Join-Path $folder 'surrogate-value.json') "{`"name`": `"d`", `"pipelineJson`": {`"k`": `"\udc00x`"}}" -NoNewline

        $imported = @(Import-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue)
        $imported.Count | Should -Be 4
        $failed.Count | Should -Be 4
        $byFile = @{}
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidDefinitionFile,*'; $byFile[(Split-Path $_.TargetObject -Leaf)] = "$_" }
        $byFile['twice.json'] | Should -BeLike "Cannot import '*twice.json': it has the key ""pipelineId"" twice in one object (line 4, position 3)*"
        $byFile['nested.json'] | Should -BeLike '*the key "x" twice in one object (line 1, position 40)*'
        $byFile['surrogate.json'] | Should -BeLike '*it has a lone surrogate*in a string (line 1, position 10)*'
        $byFile['surrogate-value.json'] | Should -BeLike '*it has a lone surrogate*(line 1, position 37)*'
    }
}

Describe 'Set-EnosPipelineDefinition checks the pipelineId against the service' {
    BeforeEach { Connect-TestEmulator $emulator; Clear-EmulatorRequests $emulator }

    It 'refuses an edited id that names another pipeline (EnosDefinitionMismatch, naming both); -Force saves it' {
        $definition = Get-EnosPipelineDefinition -PipelineId pl-0005
        $definition.PipelineId = 'pl-0002'
        $definition.Path = '/repo/pipelines/wind-line-5.json'
        Set-EnosPipelineDefinition -InputObject $definition -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosDefinitionMismatch,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidData'
        "$($failed[0])" | Should -Be ("Cannot save the definition 'wind-line-5' from '/repo/pipelines/wind-line-5.json': its pipelineId 'pl-0002' is pipeline 'wind-line-2' in organisation '$($emulator.OrgId)', " +
            "not 'wind-line-5', and 'wind-line-5' is the name of pl-0005. Nothing was sent.")
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*restore it; to rename pipeline ''pl-0002'' to ''wind-line-5'' on purpose, add -Force.'
        Get-Calls 'action=save' | Should -BeNullOrEmpty

        Set-EnosPipelineDefinition -InputObject $definition -Force -Confirm:$false -InformationAction SilentlyContinue
        (Get-Calls 'action=save').pipelineId | Should -Be 'pl-0002'
        (Get-EnosPipeline -PipelineId pl-0002).Name | Should -Be 'wind-line-5'
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/name' -Method PUT -Body @{ name = 'wind-line-2' } | Out-Null
    }

    It 'refuses a deleted pipeline''s definition even with -CreateMissing, pointing to New-EnosPipeline' {
        $definition = Get-EnosPipelineDefinition -PipelineId pl-0008
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0008' -Method DELETE | Out-Null
        Clear-EmulatorRequests $emulator
        Set-EnosPipelineDefinition -InputObject $definition -CreateMissing -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -InformationAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EnosPipelineNotFound,*'
        "$($failed[0])" | Should -Be "Cannot save the definition 'wind-line-8': organisation '$($emulator.OrgId)' has no pipeline 'pl-0008' (deleted, or the definition's pipelineId was edited). Nothing was sent."
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike 'To create it anew (with a new id), pipe the definition to New-EnosPipeline*'
        Get-Calls 'action=save' | Should -BeNullOrEmpty
    }

    It '-WhatIf names the file each definition comes from' {
        $folder = New-Folder 'whatif-set'
        Get-EnosPipelineDefinition -PipelineId pl-0001 | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        $lines = Get-WhatIfLines "Import-EnosPipelineDefinition -Path '$folder' | Set-EnosPipelineDefinition -WhatIf"
        $lines | Should -Be "What if: Save pipeline 'wind-line-1' (pl-0001) from '$(Join-Path $folder 'wind-line-1.json')': no change: the saved configuration is already this definition, nothing would be sent."
    }
}

Describe 'The summary line of the bulk definition commands' {
    It 'is shown by default, tagged EnOS.Streaming and Summary, and -InformationAction SilentlyContinue hides it' {
        $folder = New-Folder 'summary'
        $shown = Invoke-WithCapturedHost $emulator "Get-EnosPipeline -PipelineId pl-0001, pl-0002 | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path '$folder'; Import-EnosPipelineDefinition -Path '$folder' | Set-EnosPipelineDefinition -Confirm:`$false"
        $shown.Errors | Should -BeNullOrEmpty
        $shown.Host | Should -Contain '2 written, 0 unchanged, 0 removed, 0 failed.'
        $shown.Host | Should -Contain '2 read, 0 failed.'
        $shown.Host | Should -Contain '0 saved, 0 created, 2 unchanged, 0 failed.'

        $hidden = Invoke-WithCapturedHost $emulator "Import-EnosPipelineDefinition -Path '$folder' -InformationAction SilentlyContinue -InformationVariable told | Out-Null; `$told"
        $hidden.Host | Should -BeNullOrEmpty
        $hidden.Output[0].Tags | Should -Be @('EnOS.Streaming', 'Summary')
        "$($hidden.Output[0].MessageData)" | Should -Be '2 read, 0 failed.'
    }
}

Describe 'A round trip of 500 definitions with renames, deletions and name collisions' {
    BeforeAll {
        $big = Start-EnosEmulator -Pipelines 500 -SystemPipelines 0
        Connect-TestEmulator $big
        $root = New-Folder 'roundtrip'
        $folder = New-Folder 'roundtrip/pipelines'
        $outside = New-Folder 'roundtrip/outside'
        Set-Content (Join-Path $outside 'target.json') 'outside' -NoNewline
        # Whatever Export does must stay in the folder: a link in it, by a name a pipeline will get.
        New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'zz-trap.json') -Target (Join-Path $outside 'target.json') | Out-Null

        function Assert-FolderIsService {
            $definitions = [EnOS.Streaming.PipelineDefinition[]]@(Get-EnosPipeline | Get-EnosPipelineDefinition)
            $names = [EnOS.Streaming.PipelineDefinitionFile]::FileNames($definitions)
            $expected = @{}
            for ($i = 0; $i -lt $definitions.Count; $i++) { $expected[$names[$i]] = [Convert]::ToBase64String([EnOS.Streaming.PipelineDefinitionFile]::ToBytes($definitions[$i])) }
            $files = @(Get-ChildItem $folder -File -Attributes !ReparsePoint)
            @($files.Name | Sort-Object) | Should -Be @($expected.Keys | Sort-Object)
            foreach ($file in $files) { [Convert]::ToBase64String([IO.File]::ReadAllBytes($file.FullName)) | Should -BeExactly $expected[$file.Name] -Because $file.Name }
            $definitions.Count
        }
    }

    AfterAll { Stop-EnosEmulator $big }

    It 'ends with the folder equal, file for file, to the service, and nothing written outside it' {
        $before = Get-TreeState $root $folder
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder -InformationVariable first
        "$($first.MessageData)" | Should -Be '500 written, 0 unchanged, 0 removed, 0 failed.'
        Assert-FolderIsService | Should -Be 500

        # Renames (some into one name, one into a name with another's id, some differing in case only), deletions, new pipelines.
        foreach ($i in 1..40) { Invoke-EnosEmulatorAdmin $big ('pipelines/pl-{0:D4}/name' -f $i) -Method PUT -Body @{ name = "renamed-$i" } | Out-Null }
        foreach ($i in 41..45) { Invoke-EnosEmulatorAdmin $big ('pipelines/pl-{0:D4}/name' -f $i) -Method PUT -Body @{ name = 'twin' } | Out-Null }
        Invoke-EnosEmulatorAdmin $big 'pipelines/pl-0046/name' -Method PUT -Body @{ name = 'twin.pl-0042' } | Out-Null
        Invoke-EnosEmulatorAdmin $big 'pipelines/pl-0047/name' -Method PUT -Body @{ name = 'TWIN' } | Out-Null
        Invoke-EnosEmulatorAdmin $big 'pipelines/pl-0048/name' -Method PUT -Body @{ name = 'zz-trap' } | Out-Null
        foreach ($i in 100..129) { Invoke-EnosEmulatorAdmin $big ('pipelines/pl-{0:D4}' -f $i) -Method DELETE | Out-Null }
        1..20 | ForEach-Object { [EnOS.Streaming.PipelineDefinition]@{ Name = "new-$_"; PipelineJson = "{""n"":$_}" } } |
            New-EnosPipeline -Confirm:$false -InformationAction SilentlyContinue | Out-Null

        Get-EnosPipeline | Get-EnosPipelineDefinition |
            Export-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable failed -InformationVariable second
        # The one pipeline whose file name is the planted link is refused, and its file is the link still.
        $failed.Count | Should -Be 1
        "$($failed[0])" | Should -BeLike "*pipeline 'zz-trap' (pl-0048)*symbolic link*"
        # 40 renamed + 7 into the twin names + 20 new: 67 written; the old files of those 47 and of the 30 deleted: 77 removed (pl-0048 keeps its old file, its export failed).
        "$($second.MessageData)" | Should -Be '67 written, 422 unchanged, 77 removed, 1 failed.'
        Invoke-EnosEmulatorAdmin $big 'pipelines/pl-0048/name' -Method PUT -Body @{ name = 'trap-avoided' } | Out-Null
        Get-EnosPipeline | Get-EnosPipelineDefinition | Export-EnosPipelineDefinition -Path $folder -InformationAction SilentlyContinue
        Assert-FolderIsService | Should -Be 490
        Get-TreeState $root $folder | Should -Be $before
        (Get-Item (Join-Path $folder 'zz-trap.json')).LinkTarget | Should -Be (Join-Path $outside 'target.json')

        # Back in: no definition reverts anything, so nothing is sent.
        Clear-EmulatorRequests $big
        $imported = @(Import-EnosPipelineDefinition -Path $folder -ErrorAction SilentlyContinue -ErrorVariable importFailed -InformationAction SilentlyContinue)
        $imported.Count | Should -Be 490
        @($importFailed).Count | Should -Be 1   # the planted link
        $imported | Set-EnosPipelineDefinition -Confirm:$false -InformationVariable saved
        "$($saved.MessageData)" | Should -Be '0 saved, 0 created, 490 unchanged, 0 failed.'
        Get-EmulatorRequests $big | Where-Object { $_.rawTarget -match 'action=save' } | Should -BeNullOrEmpty
    }
}
