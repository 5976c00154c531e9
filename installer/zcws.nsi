; 职称网审助手 (zcws): the double-click installer for Windows.
;
; Per-user: installs to %LOCALAPPDATA%\Programs\zcws without administrator rights,
; registers itself under HKCU, puts shortcuts in the Start menu and on the desktop.
; Upgrades in place (same folder, old program files replaced, data untouched). The
; officer's data lives in %APPDATA%\zcws and is only deleted when asked for.
;
; Compile (UTF-8 source, Chinese and English pages):
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUNDLE=/abs/dist/zcws \
;            -DOUTFILE=/abs/dist/zcws-setup-0.1.0.exe installer/zcws.nsi
; scripts/build_bundle.sh and scripts/build_windows.sh do this.

; A 64-bit installer for a 64-bit program (a 32-bit Windows refuses to start it at all);
; it also runs under a wine64 without 32-bit support.
Target amd64-unicode
ManifestDPIAware true
!ifndef COMPRESSOR
  !define COMPRESSOR "/SOLID lzma"  ; smallest; -DCOMPRESSOR=zlib for a quick compile check
!endif
SetCompressor ${COMPRESSOR}
!if "${COMPRESSOR}" == "/SOLID lzma"
  SetCompressorDictSize 64
!endif

!ifndef VERSION
  !error "VERSION is not defined: makensis -DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\dist\zcws"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\zcws-setup-${VERSION}.exe"
!endif
!ifndef ICON
  !define ICON "..\resources\icons\zcws.ico"
!endif

!define APP "zcws"
!define TITLE "职称网审助手"
!define PUBLISHER "职称网审助手"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define DATA_DIR "$APPDATA\${APP}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"

Name "$(ProductName)"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
; an upgrade goes where the previous version is
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
BrandingText "${TITLE} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${TITLE}"
VIAddVersionKey /LANG=0 "FileDescription" "${TITLE} ${VERSION} 安装程序"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!if /FileExists "${ICON}"
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP}.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the default; Windows' UI language picks the other one
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"
!include "strings_zh_CN.nsh"
!include "strings_en.nsh"

Function .onInit
  SetShellVarContext current
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "$(NeedWin10)" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

; A running program keeps its .exe locked: deleting it is how we know, and it has to go anyway.
!macro RemoveExecutable FILE
  ${Do}
    ClearErrors
    Delete "${FILE}"
    ${IfNot} ${Errors}
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY +3
    SetErrorLevel 2
    Quit
  ${Loop}
!macroend

Section "$(SecCoreName)" SecCore
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program files; nothing of the old version's libraries stays behind.
  !insertmacro RemoveExecutable "$INSTDIR\${APP}.exe"
  !insertmacro RemoveExecutable "$INSTDIR\${APP}-cli.exe"
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${TITLE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP}.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecStartMenuName)" SecStartMenu
  SetOutPath "$INSTDIR"
  CreateDirectory "$SMPROGRAMS\${TITLE}"
  CreateShortcut "$SMPROGRAMS\${TITLE}\${TITLE}.lnk" "$INSTDIR\${APP}.exe"
  CreateShortcut "$SMPROGRAMS\${TITLE}\$(DemoShortcut).lnk" "$INSTDIR\${APP}.exe" "--demo"
  ; the guide shown by the program itself, from the installed files: no browser, no network
  CreateShortcut "$SMPROGRAMS\${TITLE}\$(GuideShortcut).lnk" "$INSTDIR\${APP}.exe" "--guide"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  SetOutPath "$INSTDIR"
  CreateShortcut "$DESKTOP\${TITLE}.lnk" "$INSTDIR\${APP}.exe"
SectionEnd

Section "un.$(UnSecProgramName)" UnSecProgram
  SectionIn RO
  !insertmacro RemoveExecutable "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\${APP}-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  ; only what the installer put there: the folder itself may have been chosen by hand
  RMDir /r "$INSTDIR\_internal"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${TITLE}\${TITLE}.lnk"
  Delete "$SMPROGRAMS\${TITLE}\$(DemoShortcut).lnk"
  Delete "$SMPROGRAMS\${TITLE}\$(GuideShortcut).lnk"
  RMDir "$SMPROGRAMS\${TITLE}"
  Delete "$DESKTOP\${TITLE}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

; Off unless the officer ticks it (or a silent uninstall is given /DELETEDATA).
Section /o "un.$(UnSecDataName)" UnSecData
  ${IfNot} ${Silent}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(UnDataConfirm)" IDYES delete_data
    Return
  ${EndIf}
  delete_data:
  RMDir /r "${DATA_DIR}"
SectionEnd

Function un.onInit
  SetShellVarContext current
  ${un.GetParameters} $R0
  ClearErrors
  ${un.GetOptions} $R0 "/DELETEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecCore} "$(SecCoreDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenu} "$(SecStartMenuDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecProgram} "$(UnSecProgramDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "$(UnSecDataDesc)"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
