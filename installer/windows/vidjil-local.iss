; Inno Setup 6 script: the Windows installer of the one-folder app (dist\vidjil-local).
; On Windows, from the repository root, after `pyinstaller --noconfirm build.spec`:
;     iscc /DAppVersion=0.1.0 installer\windows\vidjil-local.iss
;         -> dist\vidjil-local-0.1.0-windows-x64-setup.exe
; Installs for the current user without administrator rights (or for all users when run as an
; administrator), adds a Start-menu entry, and upgrades in place (same AppId). The lab's data is in
; each user's %LOCALAPPDATA%\vidjil-local, made by the app, never touched by installing, upgrading
; or uninstalling.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "vidjil-local"
#define Root "..\.."

[Setup]
; The AppId never changes: a newer installer finds the installed version and replaces it.
AppId={{6F3A2C1E-8B4D-4E7A-9C2F-5D1B0A7E3F90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=vidjil-local
AppPublisherURL=https://www.vidjil.org
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=vidjil-local-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\build\icons\vidjil-local.ico
UninstallDisplayIcon={app}\vidjil-local.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running vidjil-local is asked to close (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrade in place: the previous version's bundled libraries go first, so none shadows a new one.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\dist\vidjil-local\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\vidjil-local.exe"; Comment: "Vidjil immune-repertoire analysis in your browser"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\vidjil-local.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\vidjil-local.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
