# Starts and stops the local EnOS emulator (src/EnOS.Streaming.Emulator) for the Demo, the Bench
# and the Pester tests, and reads its admin endpoints. The module under test never uses this.

Set-StrictMode -Version Latest

function Start-EnosEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on a free loopback port and returns where it listens.
    #>
    [CmdletBinding()]
    param(
        [int] $Pipelines = 12,
        [int] $SystemPipelines = 2,
        [int] $PageCap = 100,
        [int] $LatencyMs = 0,
        [int] $TokenTtlSeconds = 7200,
        [string] $OrgId = 'o15500000000001',
        [string] $AppKey = 'emulator-app-key',
        [string] $AppSecret = 'emulator-app-secret',
        # Transitions (docs/emulator.md): STARTING/PAUSING/STOPPING for this long, every K-th start
        # FAILED, how lag moves between calls, user pipelines FAILED while system ones are down.
        [int] $TransitionMs = 0,
        [int] $FailEvery = 0,
        [ValidateSet('steady', 'draining', 'growing')] [string] $LagTrend = 'steady',
        [switch] $SystemPipelinesFirst,
        # The built emulator; build.ps1 Build puts it here.
        [string] $EmulatorDll = (Join-Path $PSScriptRoot '../out/emulator/EnOS.Streaming.Emulator.dll')
    )

    $dll = (Resolve-Path -LiteralPath $EmulatorDll -ErrorAction Stop).Path
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--port', '0', '--pipelines', $Pipelines, '--system-pipelines', $SystemPipelines,
            '--page-cap', $PageCap, '--latency-ms', $LatencyMs, '--token-ttl-seconds', $TokenTtlSeconds,
            '--org-id', $OrgId, '--app-key', $AppKey, '--app-secret', $AppSecret, '--exit-on-stdin-close',
            '--transition-ms', $TransitionMs, '--lag-trend', $LagTrend)) {
        $start.ArgumentList.Add([string]$argument)
    }
    if ($FailEvery -gt 0) { $start.ArgumentList.Add('--fail-every'); $start.ArgumentList.Add([string]$FailEvery) }
    if ($SystemPipelinesFirst) { $start.ArgumentList.Add('--system-pipelines-first') }
    $start.UseShellExecute = $false
    # Closing our end of stdin stops the emulator, even if this process dies first.
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $false
    $process = [System.Diagnostics.Process]::Start($start)

    $lineTask = $process.StandardOutput.ReadLineAsync()
    if (-not $lineTask.Wait([TimeSpan]::FromSeconds(60)) -or $null -eq $lineTask.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The EnOS emulator did not report its address within 60 s (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'still running' }))."
    }
    if ($lineTask.Result -notmatch '^EMULATOR LISTENING (?<url>http://127\.0\.0\.1:\d+)$') {
        $process.Kill()
        throw "The EnOS emulator printed '$($lineTask.Result)' instead of its address."
    }

    [pscustomobject]@{
        PSTypeName = 'EnosEmulator'
        Url        = $Matches.url
        OrgId      = $OrgId
        AppKey     = $AppKey
        AppSecret  = $AppSecret
        Process    = $process
    }
}

function Stop-EnosEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $process = $Emulator.Process
        if ($process.HasExited) { return }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(10000)) { $process.Kill() ; $process.WaitForExit() }
    }
}

function Get-EnosEmulatorCredential {
    <# The emulator's app key and secret as the PSCredential Connect-EnosStreaming takes. #>
    param([Parameter(Mandatory)] $Emulator)
    [pscredential]::new($Emulator.AppKey, (ConvertTo-SecureString $Emulator.AppSecret -AsPlainText -Force))
}

function Invoke-EnosEmulatorAdmin {
    <# Calls one of the emulator's /_emulator endpoints (never signed; tests only). #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $parameters = @{ Uri = "$($Emulator.Url)/_emulator/$Path"; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 5)
        $parameters.ContentType = 'application/json'
    }
    # Assigned first: Invoke-RestMethod writes a JSON array as one object; this unrolls it.
    $result = Invoke-RestMethod @parameters
    if ($Path -eq 'pipelines') {
        # A table of what matters by default (see the type data below); Format-List * shows all.
        foreach ($pipeline in $result) { $pipeline.PSObject.TypeNames.Insert(0, 'EnosEmulator.Pipeline') }
    }
    $result
}

# The emulator's pipelines have eleven fields: shown as a list, a narrow console wrapped the
# alarmConfig JSON a letter a line. Four columns make a table, one pipeline a line.
Update-TypeData -TypeName 'EnosEmulator.Pipeline' -DefaultDisplayPropertySet pipelineId, pipelineName, status, updateTime -Force

Export-ModuleMember -Function Start-EnosEmulator, Stop-EnosEmulator, Get-EnosEmulatorCredential, Invoke-EnosEmulatorAdmin
