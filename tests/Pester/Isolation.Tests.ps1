BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $emulator = Start-EnosEmulator -Pipelines 4
    $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()

    function Invoke-FreshPwsh([string] $Script) {
        # A new process: this one already has the module loaded.
        $file = Join-Path $TestDrive ("child-{0}.ps1" -f [guid]::NewGuid())
        Set-Content -Path $file -Value $Script
        Set-EnosVariables $emulator
        try { & dotnet pwsh -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" } }
        finally { Clear-EnosVariables }
    }
}

AfterAll { Stop-EnosEmulator $emulator }

Describe 'Dependency isolation on PowerShell 7' {
    It 'works after another module loaded older Microsoft.Extensions.Http and DependencyInjection' {
        $output = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
foreach (`$package in 'microsoft.extensions.dependencyinjection.abstractions', 'microsoft.extensions.dependencyinjection', 'microsoft.extensions.http') {
    `$dll = Get-ChildItem '$packages/' -Filter '*.dll' -Recurse -ErrorAction SilentlyContinue |
        Where-Object FullName -Like "*`$package*6.0.0*netstandard2.0*" | Select-Object -First 1
    `$null = [Reflection.Assembly]::LoadFrom(`$dll.FullName)
}
Import-Module '$ModuleManifest'
`$paused = Suspend-EnosPipeline -PipelineId pl-0001 -PassThru -Confirm:`$false
"PAUSED `$(`$paused.PipelineId) `$(`$paused.Status)"
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Extensions.Http' } |
    ForEach-Object { "LOADED `$(`$_.GetName().Version)" }
"@
        $output | Should -Contain 'PAUSED pl-0001 Paused'
        # Both versions live side by side: the other module's, and ours in our own load context.
        $output | Should -Contain 'LOADED 6.0.0.0'
        $output | Should -Contain 'LOADED 8.0.0.0'
        Get-EmulatorStatus $emulator 'pl-0001' | Should -Be 'PAUSED'
    }

    It 'keeps the Microsoft.Extensions assemblies out of PowerShell''s default load context' {
        $output = Invoke-FreshPwsh @"
Import-Module '$ModuleManifest'
Get-EnosPipeline | Out-Null
[System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { `$_.GetName().Name -like 'Microsoft.Extensions.*' -or `$_.GetName().Name -eq 'EnOS.Streaming.Client' } |
    ForEach-Object { "DEFAULT `$(`$_.GetName().Name)" }
"ISOLATED `$(([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([EnOS.Streaming.Pipeline].Assembly)).GetType().Name)"
"@
        $output | Where-Object { $_ -like 'DEFAULT *' } | Should -BeNullOrEmpty
        $output | Should -Contain 'ISOLATED DependencyLoadContext'
    }
}
