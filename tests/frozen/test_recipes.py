"""The Windows and macOS recipes, checked here as far as Linux allows: the Inno Setup script's
syntax (sections, directives, entry parameters, constants) and the build paths it names, the
macOS bundle's Info.plist and icon, the shell recipes' syntax, the CI workflow's paths, and the
smoke test those runners use, run on this build."""

from __future__ import annotations

import ast
import plistlib
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]  # PyYAML, installed with airr

from tests.frozen.conftest import DIST, REPOSITORY

pytestmark = pytest.mark.slow

ISS = REPOSITORY / "installer" / "windows" / "vidjil-local.iss"
WORKFLOW = REPOSITORY / ".github" / "workflows" / "installers.yml"
ICONS = REPOSITORY / "build" / "icons"
SETUP_DIRECTIVES = {
    "AppId", "AppName", "AppVersion", "AppVerName", "AppPublisher", "AppPublisherURL",
    "VersionInfoVersion", "DefaultDirName", "DefaultGroupName", "DisableProgramGroupPage",
    "PrivilegesRequired", "PrivilegesRequiredOverridesAllowed", "ArchitecturesAllowed",
    "ArchitecturesInstallIn64BitMode", "OutputDir", "OutputBaseFilename", "SetupIconFile",
    "UninstallDisplayIcon", "UninstallDisplayName", "Compression", "SolidCompression",
    "WizardStyle", "CloseApplications", "RestartApplications",
}  # fmt: skip
ENTRY_PARAMETERS = {
    "Tasks": {"Name", "Description", "GroupDescription", "Flags"},
    "InstallDelete": {"Type", "Name"},
    "Files": {"Source", "DestDir", "Flags"},
    "Icons": {"Name", "Filename", "Comment", "Tasks"},
    "Run": {"Filename", "Description", "Flags"},
}
CONSTANTS = {"app", "autopf", "group", "autodesktop"}
MESSAGES = {"CreateDesktopIcon", "AdditionalIcons", "LaunchProgram"}


def iss_sections() -> dict[str, list[str]]:
    """The script's lines by section, preprocessor lines and comments left out."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in ISS.read_text().splitlines():
        text = line.strip()
        if not text or text.startswith((";", "#")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", text)
        if header:
            current = header.group(1)
            sections[current] = []
        else:
            sections[current].append(text)
    return sections


def entry_parameters(line: str) -> dict[str, str]:
    """`Name: "value"; Flags: a b` -> {"Name": "value", "Flags": "a b"}, quotes checked."""
    parameters = {}
    for part in re.findall(r'(?:[^;"]|"[^"]*")+', line):
        name, separator, value = part.partition(":")
        assert separator, f"not 'Parameter: value': {part!r}"
        value = value.strip()
        assert value.count('"') in (0, 2), f"unbalanced quotes: {part!r}"
        parameters[name.strip()] = value.strip('"')
    return parameters


def check_constants(value: str) -> None:
    for constant in re.findall(r"(?<!\{)\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}", value):
        if constant.startswith("#"):
            assert constant[1:] in {"AppName", "AppVersion", "Root"}, constant
        elif constant.startswith("cm:"):
            assert constant[3:].split(",")[0] in MESSAGES, constant
        else:
            assert constant in CONSTANTS, f"unknown Inno Setup constant {{{constant}}}"


def test_the_inno_setup_script_is_well_formed() -> None:
    sections = iss_sections()
    assert sections.pop("") == []
    assert set(sections) == {"Setup", *ENTRY_PARAMETERS}
    directives = dict(line.split("=", 1) for line in sections.pop("Setup"))
    assert set(directives) <= SETUP_DIRECTIVES, set(directives) - SETUP_DIRECTIVES
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", directives["AppId"])
    assert directives["PrivilegesRequired"] == "lowest"  # per user, no administrator needed
    for value in directives.values():
        check_constants(value.replace("{{", ""))
    for section, lines in sections.items():
        for line in lines:
            parameters = entry_parameters(line)
            assert set(parameters) <= ENTRY_PARAMETERS[section], (section, line)
            for value in parameters.values():
                check_constants(value)
    for flag in ("#ifndef AppVersion", "#endif", '#define Root "..\\..'):
        assert flag in ISS.read_text()


def test_the_paths_the_inno_setup_script_names_exist_in_the_build(built_app: Path) -> None:
    text = ISS.read_text()
    for path in re.findall(r"\{#Root\}\\([^\";\s]+)", text):
        relative = path.replace("\\", "/").removesuffix("/*")
        assert (REPOSITORY / relative).exists(), f"{path} is not in the build"
    for path in re.findall(r"\{app\}\\([^\";\s]+)", text):
        assert (built_app.parent / path.removesuffix(".exe")).exists(), f"{{app}}\\{path}"
    ico = (ICONS / "vidjil-local.ico").read_bytes()
    assert struct.unpack("<HHH", ico[:6])[:2] == (0, 1) and b"\x89PNG" in ico


def bundle_info_plist() -> dict[str, object]:
    """The `info_plist` of build.spec's macOS BUNDLE, as PyInstaller will write it."""
    tree = ast.parse((REPOSITORY / "build.spec").read_text())
    [call] = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "BUNDLE"
    ]
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    source = ast.unparse(keywords["info_plist"]).replace("__version__", "'0.0.0'")
    info: dict[str, object] = ast.literal_eval(source)
    info["CFBundleIdentifier"] = ast.literal_eval(keywords["bundle_identifier"])
    return info


def test_the_macos_bundle_recipe() -> None:
    info = bundle_info_plist()
    assert plistlib.loads(plistlib.dumps(info)) == info
    assert (
        info["CFBundleIdentifier"] == "org.vidjil.local" and info["CFBundleName"] == "vidjil-local"
    )
    icns = (ICONS / "vidjil-local.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    offset, kinds = 8, []
    while offset < len(icns):
        kind, length = (
            icns[offset : offset + 4],
            struct.unpack(">I", icns[offset + 4 : offset + 8])[0],
        )
        assert icns[offset + 8 : offset + 12] == b"\x89PNG"
        kinds.append(kind)
        offset += length
    assert offset == len(icns) and kinds == [b"ic07", b"ic08", b"ic09"]
    script = REPOSITORY / "installer" / "macos" / "build-dmg.sh"
    assert subprocess.run(["bash", "-n", script]).returncode == 0
    assert "dist/vidjil-local.app" in script.read_text()


def test_the_workflow_names_what_exists() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert set(workflow["jobs"]) == {"windows", "macos"}
    runs = " ".join(
        str(step.get("run", "")) for job in workflow["jobs"].values() for step in job["steps"]
    )
    for path in re.findall(r"(?:installer|tests|scripts)[/\\][\w./\\-]+\w", runs):
        assert (REPOSITORY / path.replace("\\", "/")).exists(), path
    assert "build.spec" in runs and "vidjil-local.iss" in runs


def test_the_smoke_test_of_the_other_systems_passes_here(built_app: Path) -> None:
    reads = REPOSITORY / "tests" / "data" / "lab" / "diagnosis.fastq.gz"
    done = subprocess.run(
        [sys.executable, REPOSITORY / "installer" / "smoke_test.py", built_app, reads],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke test passed" in done.stdout
    assert DIST in built_app.parents
