import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "find_python.sh"


def find(version, **env):
    return subprocess.run(
        ["bash", str(SCRIPT), version], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env}
    )


def test_finds_the_running_interpreter_through_the_override(tmp_path):
    import sys

    version = "%d.%d" % sys.version_info[:2]
    result = find(version, **{f"PYTHON_{version.replace('.', '')}": sys.executable})
    assert result.returncode == 0
    assert Path(result.stdout.strip()).resolve() == Path(sys.executable).resolve()


def test_a_missing_version_fails_with_a_clear_message():
    result = find("2.5")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no working Python 2.5 interpreter" in result.stderr
    assert "PYTHON_25=/path/to/python2.5" in result.stderr


def test_a_broken_override_is_skipped(tmp_path):
    fake = tmp_path / "python2.5"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    assert find("2.5", PYTHON_25=str(fake)).returncode == 1
