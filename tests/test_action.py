"""The GitHub Action (action.yml) and the example workflow: validated against
GitHub's published schemas as check-jsonschema ships them (run as the real
command), and the action's script run for real with bash."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SEEDS

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "examples" / "pfocr-lint.yml"
PIP_WORKFLOW = ROOT / "docs" / "examples" / "pfocr-lint-pip.yml"  # without the Action
BAD = "PMC7773330__hs9-5-e516-g001.md"


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_action_is_valid_against_githubs_action_schema():
    done = check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("workflow", [WORKFLOW, PIP_WORKFLOW])
def test_example_workflow_is_valid_against_githubs_workflow_schema(workflow):
    done = check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_without_the_action_restores_and_saves_the_cache():
    steps = yaml.safe_load(PIP_WORKFLOW.read_text("utf-8"))["jobs"]["lint"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert ".pfocr-lint-cache" in cache["with"]["path"]
    assert "~/.cache/pfocr-lint" in cache["with"]["path"]  # the key that seals the entries


def test_the_schemas_reject_a_broken_action_and_workflow(tmp_path):
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    del action["runs"]["steps"][1]["shell"]  # a composite run step needs its shell
    broken = tmp_path / "action.yml"
    broken.write_text(yaml.safe_dump(action), "utf-8")
    assert check_jsonschema("vendor.github-actions", broken).returncode == 1
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    workflow["jobs"]["lint"]["runs-on"] = 3.5
    broken = tmp_path / "workflow.yml"
    broken.write_text(yaml.safe_dump(workflow), "utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1


def _action():
    return yaml.safe_load(ACTION.read_text("utf-8"))


def test_action_shape():
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {
        "paths",
        "baseline",
        "changed-since",
        "fail-on",
        "output-format",
        "output-file",
        "upload-sarif",
    }
    steps = {s.get("name"): s for s in action["runs"]["steps"]}
    assert '"$GITHUB_ACTION_PATH"' in steps["Install pfocr-lint"]["run"]  # the action's own code
    upload = steps["Upload SARIF to code scanning"]
    # v3 is deprecated (December 2026): the current major
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    # skipped on a read-only token, and a refused upload never fails the job
    assert "steps.token.outputs.upload == 'true'" in upload["if"]
    assert upload["continue-on-error"] is True
    names = [s.get("name") for s in action["runs"]["steps"]]
    assert names.index("Upload SARIF to code scanning") < names.index("Fail on findings")
    # `version` installs a release from PyPI; empty, the action's own code
    install = steps["Install pfocr-lint"]
    assert install["env"] == {"PFOCR_VERSION": "${{ inputs.version }}"}
    # inputs reach scripts as environment variables, never pasted into them
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")
    lint = steps["Run pfocr-lint"]
    used = set(re.findall(r"inputs\.([a-z-]+)", " ".join(lint["env"].values())))
    assert used == set(action["inputs"]) - {"python-version", "version", "cache"}
    # the results cache restored and saved around the run (actions/cache)
    cache = steps["Restore the results cache"]
    assert cache["uses"].startswith("actions/cache@") and "inputs.cache == 'true'" in cache["if"]
    assert ".pfocr-lint-cache" in cache["with"]["path"] and "github.sha" in cache["with"]["key"]
    names = [s.get("name") for s in action["runs"]["steps"]]
    assert names.index("Restore the results cache") < names.index("Run pfocr-lint")


def run_step(tmp_path, env: dict, pfocr_lint_dir: Path) -> tuple[int, dict, str]:
    """Run the action's lint step with bash as GitHub runs it (``-eo
    pipefail``); returns (exit status, step outputs, stdout)."""
    lint = next(s for s in _action()["runs"]["steps"] if s.get("id") == "lint")
    script = tmp_path / "step.sh"
    script.write_text(lint["run"], "utf-8")
    outputs = tmp_path / "github_output"
    outputs.write_text("", "utf-8")
    defaults = {f"PFOCR_{k}": "" for k in ("PATHS", "BASELINE", "CHANGED_SINCE", "FAIL_ON",
                                            "OUTPUT_FORMAT", "OUTPUT_FILE", "ARGS")}  # fmt: skip
    defaults.update({"PFOCR_UPLOAD_SARIF": "false", "PFOCR_SARIF_FILE": "pfocr-lint.sarif"})
    full = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")
    }
    full.update(defaults)
    full.update(env)
    full["PATH"] = f"{pfocr_lint_dir}{os.pathsep}{full.get('PATH', '')}"
    full["GITHUB_OUTPUT"] = str(outputs)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=tmp_path,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text("utf-8").splitlines())
    return done.returncode, values, done.stdout


def test_action_runs_pfocr_lint_and_writes_sarif(tmp_path):
    shutil.copy(SEEDS / BAD, tmp_path / BAD)
    real = Path(sys.executable).parent  # where the installed pfocr-lint command lives
    assert (real / "pfocr-lint").exists()
    status, outputs, out = run_step(
        tmp_path,
        {"PFOCR_PATHS": BAD, "PFOCR_UPLOAD_SARIF": "true", "PFOCR_ARGS": "--no-cache"},
        real,
    )
    assert status == 0  # the step records the exit code; a later step fails the job
    assert outputs == {"exit-code": "1", "report": "pfocr-lint.sarif"}
    assert (tmp_path / "pfocr-lint.sarif").read_text("utf-8").count('"ruleId": "NA101"') == 5
    assert f"{BAD}:14:10: ID105" in out  # the log still gets the findings


def test_action_with_a_baseline_fails_only_on_new_findings(tmp_path):
    shutil.copy(SEEDS / BAD, tmp_path / BAD)
    real = Path(sys.executable).parent
    made = subprocess.run(
        [str(real / "pfocr-lint"), "check", "--no-cache", "--write-baseline", "base.json", BAD],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    assert made.returncode == 0
    env = {"PFOCR_PATHS": BAD, "PFOCR_BASELINE": "base.json", "PFOCR_ARGS": "--no-cache"}
    status, outputs, out = run_step(tmp_path, env, real)
    assert outputs == {"exit-code": "0"}
    record = tmp_path / BAD
    record.write_text(
        record.read_text("utf-8").replace("year: '2021'", "year: .na.character"), "utf-8"
    )
    status, outputs, out = run_step(tmp_path, env, real)
    assert outputs == {"exit-code": "1"}
    assert out.count(": NA101 ") == 1 and "/year" in out  # only the new finding


def test_action_passes_only_the_inputs_that_are_set(tmp_path):
    """The flags handed to ``pfocr-lint`` (a stand-in that prints them)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "pfocr-lint"
    stub.write_text('#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\nexit 1\n', "utf-8")
    stub.chmod(0o755)

    status, outputs, out = run_step(tmp_path, {}, bin_dir)
    assert out.split() == ["[check]"] and outputs == {"exit-code": "1"}

    status, outputs, out = run_step(
        tmp_path,
        {
            "PFOCR_PATHS": "_figures\nmore records",
            "PFOCR_BASELINE": ".pfocr-lint-baseline.json",
            "PFOCR_CHANGED_SINCE": "origin/main",
            "PFOCR_FAIL_ON": "error",
            "PFOCR_OUTPUT_FORMAT": "junit",
            "PFOCR_OUTPUT_FILE": "report.xml",
            "PFOCR_ARGS": "--select NA,ID",
        },
        bin_dir,
    )
    assert out.splitlines() == [
        "[check]",
        "[--baseline]",
        "[.pfocr-lint-baseline.json]",
        "[--changed-since]",
        "[origin/main]",
        "[--fail-on]",
        "[error]",
        "[--output-format]",
        "[junit]",
        "[--output-file]",
        "[report.xml]",
        "[--select]",
        "[NA,ID]",
        "[--]",
        "[_figures]",
        "[more]",
        "[records]",
    ]
    assert outputs == {"exit-code": "1"}  # the stand-in wrote no report


def test_the_docs_show_the_example_workflow():
    page = (ROOT / "docs" / "ci.md").read_text("utf-8")
    body = WORKFLOW.read_text("utf-8")
    assert body in page, "docs/ci.md's workflow differs from docs/examples/pfocr-lint.yml"


def test_the_documented_workflows_pin_the_declared_version_and_permissions():
    """Every documented `uses:` of this action names the release tag of the
    declared version (or a commit SHA, as the pinning advice shows), and the
    workflows grant what the SARIF upload needs."""
    from linter import __version__

    pages = [WORKFLOW, ROOT / "docs" / "ci.md", ROOT / "docs/getting-started/ci-maintainers.md"]
    for page in pages:
        text = page.read_text("utf-8")
        refs = re.findall(r"uses: OWNER/pfocr-lint@([^\s`]+)", text)
        assert refs, page
        for ref in refs:
            assert ref == f"v{__version__}" or re.fullmatch(r"[0-9a-f]{40}", ref), (page, ref)
        assert "security-events: write" in text and "actions: read" in text, page
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert workflow["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }


def _bash(script, env: dict) -> subprocess.CompletedProcess:
    """Run an action step's script with bash as the runner does; it must succeed."""
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


def run_token_step(tmp_path, env: dict) -> tuple[dict, str]:
    """Run the action's read-only-token check with bash; (outputs, stdout)."""
    step = next(s for s in _action()["runs"]["steps"] if s.get("id") == "token")
    script = tmp_path / "token.sh"
    script.write_text(step["run"], "utf-8")
    outputs = tmp_path / "token_output"
    outputs.write_text("", "utf-8")
    full = {"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(outputs)}
    full.update({k: "" for k in step["env"]})
    full.update(env)
    done = _bash(script, full)
    values = dict(line.split("=", 1) for line in outputs.read_text("utf-8").splitlines())
    return values, done.stdout


@pytest.mark.parametrize(
    "env, upload",
    [
        # a pull request from a fork: read-only token, no upload
        (
            {
                "PFOCR_EVENT": "pull_request",
                "PFOCR_HEAD_REPO": "someone/collection",
                "PFOCR_REPO": "org/collection",
                "PFOCR_ACTOR": "someone",
            },
            "false",
        ),
        # Dependabot's pull request: read-only token too
        (
            {
                "PFOCR_EVENT": "pull_request",
                "PFOCR_HEAD_REPO": "org/collection",
                "PFOCR_REPO": "org/collection",
                "PFOCR_ACTOR": "dependabot[bot]",
            },
            "false",
        ),
        # a branch of the repository itself, and a push: upload
        (
            {
                "PFOCR_EVENT": "pull_request",
                "PFOCR_HEAD_REPO": "org/collection",
                "PFOCR_REPO": "org/collection",
                "PFOCR_ACTOR": "curator",
            },
            "true",
        ),
        ({"PFOCR_EVENT": "push", "PFOCR_REPO": "org/collection", "PFOCR_ACTOR": "x"}, "true"),
    ],
    ids=["fork", "dependabot", "same-repository", "push"],
)
def test_a_read_only_token_skips_the_upload_with_a_notice(tmp_path, env, upload):
    outputs, out = run_token_step(tmp_path, env)
    assert outputs == {"upload": upload}
    if upload == "false":
        assert out.startswith("::notice title=pfocr-lint::SARIF upload skipped")
        assert "fail the job as usual" in out
    else:
        assert out == ""


def test_a_skipped_upload_still_fails_on_findings():
    """The last step fails the job from the lint step's exit code alone: it
    does not depend on the upload or the token check."""
    steps = {s.get("name"): s for s in _action()["runs"]["steps"]}
    fail = steps["Fail on findings"]
    assert fail["if"] == "${{ steps.lint.outputs.exit-code != '0' }}"
    assert fail["env"] == {"PFOCR_EXIT": "${{ steps.lint.outputs.exit-code }}"}


@pytest.mark.parametrize("path", [ACTION, WORKFLOW, PIP_WORKFLOW])
def test_no_machine_paths(path):
    assert "/work/" not in path.read_text("utf-8") and "/tmp/" not in path.read_text("utf-8")


@pytest.mark.parametrize(
    "version, spec",
    [("0.1.0", "pfocr-lint==0.1.0"), ("v0.1.0", "pfocr-lint==0.1.0"), ("", "ACTION_PATH")],
)
def test_the_version_input_picks_what_is_installed(tmp_path, version, spec):
    """`version` installs that release from PyPI (a leading `v` allowed, as
    in the tag); empty, the action's own checkout."""
    step = next(s for s in _action()["runs"]["steps"] if s.get("name") == "Install pfocr-lint")
    script = tmp_path / "install.sh"
    script.write_text(step["run"], "utf-8")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\n', "utf-8")
    (fake / "python").chmod(0o755)
    args_file = tmp_path / "args"
    env = {
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "PFOCR_VERSION": version,
        "GITHUB_ACTION_PATH": "ACTION_PATH",
        "ARGS_FILE": str(args_file),
    }
    _bash(script, env)
    args = args_file.read_text("utf-8").splitlines()
    assert args[:2] == ["-m", "pip"] and args[-1] == spec
