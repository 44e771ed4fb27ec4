# Inputs that deceive are refused, and names from the service cannot disguise a prompt.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 6
    $credential = Get-EnosEmulatorCredential $emulator
    $savedEnvironment = Save-EnosVariables -Clear
    $password = 'Pa55-in-the-url'
    $withUserInfo = $emulator.Url -replace '^http://', "http://operator:$password@"
    $rlo = [char]0x202E

    function Get-Everything($Record) {
        # Every way an error record is shown or kept.
        ($Record | Out-String) + $Record.CategoryInfo + $Record.TargetObject + $Record.Exception.Message + $Record.ErrorDetails +
            ($Record | Format-List * -Force | Out-String)
    }
}

AfterAll {
    Disconnect-EnosStreaming
    Restore-EnosVariables $savedEnvironment
    Stop-EnosEmulator $emulator
}

Describe 'A gateway URL with user:password@' {
    BeforeEach { Clear-EmulatorRequests $emulator }

    It 'is refused by Connect-EnosStreaming with EnosInvalidArgument, nothing sent and the password never shown' {
        $record = { Connect-EnosStreaming -GatewayUrl $withUserInfo -OrgId $emulator.OrgId -Credential $credential -Verbose 4>$null } |
            Should -Throw -ErrorId 'EnosInvalidArgument,*' -PassThru

        "$record" | Should -Match 'user:password@'
        Get-Everything $record | Should -Not -Match $password
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
        { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*'
    }

    It 'in ENOS_GATEWAY_URL is a not-connected error, nothing sent and the password never shown' {
        try {
            Set-EnosVariables $emulator
            $env:ENOS_GATEWAY_URL = $withUserInfo
            $record = { Get-EnosPipeline } | Should -Throw -ErrorId 'EnosNotConnected,*' -PassThru
        }
        finally {
            Clear-EnosVariables
        }

        "$record" | Should -Match 'ENOS_GATEWAY_URL'
        Get-Everything $record | Should -Not -Match $password
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
    }
}

Describe 'Invisible and bidirectional characters' {
    BeforeAll { Connect-TestEmulator $emulator }
    BeforeEach {
        Reset-EmulatorPipelines $emulator -Count 6
        Clear-EmulatorRequests $emulator
    }

    It 'in a pipeline id are refused like control characters, nothing sent for them, the others go on' {
        $hidden = "pl-0001$rlo", "pl$([char]0x200B)-0002", "$([char]0xFEFF)pl-0006", "pl-000$([char]0xD800)"
        $paused = @($hidden + 'pl-0001') |
            Suspend-EnosPipeline -PassThru -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 4
        $refused | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'EnosInvalidPipelineId,*' }
        $refused | ForEach-Object { "$_" | Should -Match 'invisible or text-direction character U\+' }
        @($paused).Count | Should -Be 1
        @(Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST').pipelineId | Should -Be @('pl-0001')
    }

    It 'in a name from the service are shown escaped in the ShouldProcess line, verbose lines and errors' {
        # pl-0001 is renamed so that, shown raw, it would read "wind-line-1" followed by reversed text.
        $name = "wind-line-1$($rlo)3-enil-dniw"
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0001/name' -Method PUT -Body @{ name = $name } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/name' -Method PUT -Body @{ name = $name } | Out-Null
        Invoke-EnosEmulatorAdmin $emulator 'pipelines/pl-0002/status/STOPPED' -Method PUT | Out-Null

        $pipelines = Get-EnosPipeline -PipelineId pl-0001, pl-0002
        $pipelines[0].Name | Should -Be $name -Because 'objects keep the name exactly as sent'
        $lines = $pipelines | Suspend-EnosPipeline -Verbose -ErrorVariable failed -ErrorAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        # ShouldProcess writes its "Performing the operation" line with the target a -Confirm prompt shows.
        $lines | Where-Object { $_ -like '*Performing the operation*' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -like '*Performing the operation*pipeline ''wind-line-1\u202E3-enil-dniw'' (pl-0001)*' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -like '*accepted*' } | Should -BeLike '*wind-line-1\u202E3-enil-dniw*'
        "$failed" | Should -BeLike "*pipeline 'wind-line-1\u202E3-enil-dniw' (pl-0002)*STOPPED*"
        ($lines + "$failed") -join "`n" | Should -Not -Match $rlo
    }
}
