# What an expert meets at the console and in `pwsh -NonInteractive -File` runbooks. The
# non-interactive cases run in a child pwsh, since this one is the test host.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 6

    function Invoke-Runbook([string] $Body) {
        # A runbook as the scheduler runs it: -NonInteractive, the ENOS_* variables set, every
        # stream merged into the output so that the test sees what the log would show.
        $file = Join-Path ([IO.Path]::GetTempPath()) "enos-runbook-$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content -Path $file -Value "Import-Module '$ModuleManifest'`n$Body"
        $saved = Save-EnosVariables
        Set-EnosVariables $emulator
        try {
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file *>&1 | ForEach-Object { "$_" }
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally {
            Restore-EnosVariables $saved
            Remove-Item $file -ErrorAction Ignore
        }
    }
}

AfterAll {
    Stop-EnosEmulator $emulator
}

Describe 'In a non-interactive runbook' {
    BeforeEach { Reset-EmulatorPipelines $emulator -Count 6 }

    It '-Debug alone shows the HTTP trace and never prompts' {
        $run = Invoke-Runbook @'
$ErrorActionPreference = 'Stop'
Get-EnosPipeline -PipelineId pl-0001 -Debug 5>&1
Suspend-EnosPipeline -PipelineId pl-0002 -Debug 5>&1
Stop-EnosPipeline -PipelineId pl-0002 -Force -Debug 5>&1
'@
        $run.Output | Should -Not -BeLike '*NonInteractive mode*'
        $run.Output | Should -BeLike '*HTTP GET *pipelines?*'
        $run.Output | Should -BeLike '*HTTP POST *pl-0002?action=pause*'
        $run.Output | Should -BeLike '*HTTP POST *pl-0002?action=stop*'
        $run.ExitCode | Should -Be 0
        Get-EmulatorStatus $emulator 'pl-0002' | Should -Be 'STOPPED'
    }

    It 'Connect-EnosStreaming with nothing to go on says which parameters to pass, and sends nothing' {
        Clear-EmulatorRequests $emulator
        $run = Invoke-Runbook @'
try { Connect-EnosStreaming } catch { "ID=$($_.FullyQualifiedErrorId)"; "TEXT=$_" }
'@
        $run.Output | Should -BeLike '*ID=EnosInvalidArgument,*'
        $run.Output | Should -BeLike '*TEXT=*-GatewayUrl, -OrgId and -Credential*cannot prompt*'
        Get-EmulatorRequests $emulator | Should -BeNullOrEmpty
    }

    It '<Name>' -ForEach @(
        @{ Name = 'a state-changing command run with no pipeline says to pass -PipelineId or pipe pipelines, not to supply an InputObject'
            Runbook = 'try { Suspend-EnosPipeline } catch { "ID=$($_.FullyQualifiedErrorId)"; "TEXT=$_"; "EX=$($_.Exception.Message)"; "DO=$($_.ErrorDetails.RecommendedAction)" }'
            Says = '*ID=EnosInvalidArgument,*', '*TEXT=*pass -PipelineId <id>, or pipe pipelines in*', '*EX=*pass -PipelineId <id>, or pipe pipelines in*',
                '*DO=Pass -PipelineId*Get-EnosPipeline -Status Running | Suspend-EnosPipeline*'
            NeverSays = @('*InputObject*'); Unchanged = @{} }
        @{ Name = 'Reset-EnosPipelineOffset without -Force says to add -Force or -Confirm:$false, and sends nothing'
            Runbook = 'try { Reset-EnosPipelineOffset -PipelineId pl-0003 } catch { "ID=$($_.FullyQualifiedErrorId)"; "DO=$($_.ErrorDetails.RecommendedAction)" }'
            Says = '*ID=EnosConfirmationRequired,*', '*DO=*-Force*-Confirm:$false*'
            NeverSays = @(); Unchanged = @{} }
        @{ Name = 'Stop-EnosPipeline without -Force says to add -Force or -Confirm:$false, and sends nothing'
            Runbook = 'try { Stop-EnosPipeline -PipelineId pl-0001 } catch { "ID=$($_.FullyQualifiedErrorId)"; "TEXT=$_"; "EX=$($_.Exception.Message)"; "DO=$($_.ErrorDetails.RecommendedAction)" }'
            # The message itself, and the exception's (what a runbook's catch block logs), say what to do.
            Says = '*ID=EnosConfirmationRequired,*', '*TEXT=*cannot prompt*add -Force, or -Confirm:$false*Nothing was sent*', '*EX=*needs -Force (or -Confirm:$false)*',
                '*DO=*-Force*-Confirm:$false*'
            NeverSays = @(); Unchanged = @{ 'pl-0001' = 'RUNNING' } }
    ) {
        Clear-EmulatorRequests $emulator
        $run = Invoke-Runbook $Runbook
        foreach ($pattern in $Says) { $run.Output | Should -BeLike $pattern }
        foreach ($pattern in $NeverSays) { $run.Output | Should -Not -BeLike $pattern }
        Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST' | Where-Object path -NotLike 'apim-token*' | Should -BeNullOrEmpty
        foreach ($id in $Unchanged.Keys) { Get-EmulatorStatus $emulator $id | Should -Be $Unchanged[$id] }
    }
}
