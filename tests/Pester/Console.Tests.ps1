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
        $saved = @{}
        $variables = @{
            ENOS_GATEWAY_URL = $emulator.Url; ENOS_ORG_ID = $emulator.OrgId
            ENOS_APP_KEY = $emulator.AppKey; ENOS_APP_SECRET = $emulator.AppSecret
        }
        foreach ($name in $variables.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $variables[$name]) }
        try {
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file *>&1 | ForEach-Object { "$_" }
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
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

    It 'a state-changing command run with no pipeline says to pass -PipelineId or pipe pipelines, not to supply an InputObject' {
        Clear-EmulatorRequests $emulator
        $run = Invoke-Runbook @'
try { Suspend-EnosPipeline } catch { "ID=$($_.FullyQualifiedErrorId)"; "DO=$($_.ErrorDetails.RecommendedAction)" }
'@
        $run.Output | Should -BeLike '*ID=EnosInvalidArgument,*'
        $run.Output | Should -BeLike '*DO=Pass -PipelineId*Get-EnosPipeline -Status Running | Suspend-EnosPipeline*'
        $run.Output | Should -Not -BeLike '*InputObject*'
        Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST' | Where-Object path -NotLike 'apim-token*' | Should -BeNullOrEmpty
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

    It 'Reset-EnosPipelineOffset without -Force says to add -Force or -Confirm:$false, and sends nothing' {
        Clear-EmulatorRequests $emulator
        $run = Invoke-Runbook @'
try { Reset-EnosPipelineOffset -PipelineId pl-0003 } catch { "ID=$($_.FullyQualifiedErrorId)"; "DO=$($_.ErrorDetails.RecommendedAction)" }
'@
        $run.Output | Should -BeLike '*ID=EnosConfirmationRequired,*'
        $run.Output | Should -BeLike '*DO=*-Force*-Confirm:$false*'
        Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST' | Where-Object path -NotLike 'apim-token*' | Should -BeNullOrEmpty
    }

    It 'Stop-EnosPipeline without -Force says to add -Force or -Confirm:$false, and sends nothing' {
        Clear-EmulatorRequests $emulator
        $run = Invoke-Runbook @'
try { Stop-EnosPipeline -PipelineId pl-0001 }
catch { "ID=$($_.FullyQualifiedErrorId)"; "TEXT=$_"; "DO=$($_.ErrorDetails.RecommendedAction)" }
'@
        $run.Output | Should -BeLike '*ID=EnosConfirmationRequired,*'
        $run.Output | Should -BeLike '*TEXT=*cannot prompt*Nothing was sent*'
        $run.Output | Should -BeLike '*DO=*-Force*-Confirm:$false*'
        Get-EmulatorRequests $emulator | Where-Object method -EQ 'POST' | Where-Object path -NotLike 'apim-token*' | Should -BeNullOrEmpty
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'RUNNING'
    }
}
