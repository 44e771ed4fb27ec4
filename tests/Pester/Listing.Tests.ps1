# A large organisation behind a slow gateway: once the first page has told the count, pages are
# read several at once, written in page order, each pipeline once, and a lying service is still
# caught within a few pages.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # 30 pages of 100 at 200 ms each: 6 s read one after another.
    $emulator = Start-EnosEmulator -Pipelines 3000 -PageCap 100 -LatencyMs 200 -SystemPipelines 0
    Connect-TestEmulator $emulator
    $expected = 1..3000 | ForEach-Object { 'pl-{0:D4}' -f $_ }

    function Get-ListingPages { @(Get-EmulatorRequests $emulator | Where-Object { $_.path -like '*/pipelines' }) }
}

AfterAll {
    Disconnect-EnosStreaming
    Stop-EnosEmulator $emulator
}

Describe 'Listing a large organisation' {
    AfterEach { Invoke-EnosEmulatorAdmin $emulator 'listing-lies' -Method DELETE | Out-Null }

    It 'lists 3,000 pipelines each once, in order, a bounded number of pages at a time' {
        # How fast is for ./build.ps1 Bench -Scenario Listing; a clock in a test fails on a busy machine.
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null
        $streams = @(Get-EnosPipeline -Verbose 4>&1)
        $listed = @($streams | Where-Object { $_ -is [EnOS.Streaming.Pipeline] })
        $verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

        $listed.Count | Should -Be 3000
        ($listed.PipelineId -join ',') | Should -Be ($expected -join ',')
        $peak = (Invoke-EnosEmulatorAdmin $emulator 'stats').peakInFlight
        $peak | Should -BeGreaterThan 1
        $peak | Should -BeLessOrEqual 8
        "$verbose" | Should -Match 'Page 1: 100 pipelines \(the organisation has 3000\)\. Reading the next pages up to 8 at once\. Page 2: '
    }

    It 'offers ids on the first Tab before completion gives up (3 s), reading pages at once' {
        # A new connection has no completion list yet; its 2,000 pipelines are 20 pages (4 s one at a time).
        Connect-TestEmulator $emulator
        $script = 'Suspend-EnosPipeline -PipelineId pl-2000'
        Invoke-EnosEmulatorAdmin $emulator 'stats/reset' -Method POST | Out-Null
        $found = (TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches

        # Completion that gives up offers nothing, so an id offered is one found in time.
        $found.CompletionText | Should -Be 'pl-2000'
        (Invoke-EnosEmulatorAdmin $emulator 'stats').peakInFlight | Should -BeGreaterThan 1
    }

    It 'still ends at the first page that adds nothing, with a warning, under a count that never ends' {
        Invoke-EnosEmulatorAdmin $emulator 'listing-lies' -Method PUT -Body @{ count = 1000000; repeatFrom = 3 } | Out-Null
        Clear-EmulatorRequests $emulator
        $listed = @(Get-EnosPipeline -WarningVariable warned 3>$null)

        ($listed.PipelineId -join ',') | Should -Be ($expected[0..199] -join ',')
        "$warned" | Should -Match 'ended early.*page 3 repeated'
        # Pages 1 to 3, and at most the pages read ahead of page 3.
        (Get-ListingPages).Count | Should -BeLessOrEqual 11
    }

    It 'lists every pipeline under a count below the truth (300 of 3,000), and warns with both figures' {
        Invoke-EnosEmulatorAdmin $emulator 'listing-lies' -Method PUT -Body @{ count = 300 } | Out-Null
        Clear-EmulatorRequests $emulator

        $listed = @(Get-EnosPipeline -WarningVariable warned 3>$null)

        ($listed.PipelineId -join ',') | Should -Be ($expected -join ',')
        "$warned" | Should -Match 'said 300 pipelines and sent 3000'
        # 30 full pages and the empty one that ends them, none twice; at most the pages read ahead past the end.
        $pages = @((Get-ListingPages).query.pageNo | ForEach-Object { [int]$_ } | Sort-Object)
        $pages[0..30] | Should -Be (1..31)
        ($pages | Sort-Object -Unique).Count | Should -Be $pages.Count
        $pages.Count | Should -BeLessOrEqual (31 + 8)
    }
}
