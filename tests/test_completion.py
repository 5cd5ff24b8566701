"""``pfocr-lint completion SHELL``: the scripts are generated from the
argparse parser, and the bash one, sourced into a real bash, completes
subcommands, options, option values and rule codes. The zsh script is driven
in an interactive zsh (zsh/zpty: a Tab after compinit) and the fish one with
fish's ``complete -C``, when those shells are installed (`.ci/run` installs
them with apt-get where it can; skipped, saying so, if not)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from linter.cli.completion import script
from linter.cli.main import build_parser, main
from linter.rules.registry import all_rules


def generated(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def complete(bash_script: str, tmp_path, *words: str) -> list[str]:
    """What bash offers for the command line ``pfocr-lint WORDS`` (the last
    word is the one being completed)."""
    path = tmp_path / "pfocr-lint.bash"
    path.write_text(bash_script, encoding="utf-8")
    line = ["pfocr-lint", *words]
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in line)
    program = (
        f"source {path}\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(line) - 1}\n"
        "_pfocr_lint\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_bash_completes_commands_options_values_and_codes(capsys, tmp_path):
    text = generated(capsys, "bash")
    assert subprocess.run(["bash", "-n"], input=text, text=True).returncode == 0
    assert complete(text, tmp_path, "ch") == ["check"]
    assert "completion" in complete(text, tmp_path, "co")
    assert sorted(complete(text, tmp_path, "check", "--output-f")) == [
        "--output-file",
        "--output-format",
    ]
    assert sorted(complete(text, tmp_path, "check", "--output-format", "j")) == ["json", "junit"]
    assert complete(text, tmp_path, "check", "--fail-on", "w") == ["warning"]
    assert complete(text, tmp_path, "report", "--no-b") == ["--no-baseline"]
    na = sorted(c for c in all_rules() if c.startswith("NA10"))
    assert complete(text, tmp_path, "check", "--select", "NA10") == na
    # a comma-separated list: the last code is completed, the head kept
    assert complete(text, tmp_path, "check", "--ignore", "GN106,NA10") == [f"GN106,{c}" for c in na]
    assert complete(text, tmp_path, "rule", "NA10") == na
    assert complete(text, tmp_path, "completion", "") == ["bash", "zsh", "fish"]
    (tmp_path / "records").mkdir()
    assert complete(text, tmp_path, "check", "rec") == ["records"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_option_of_every_command_is_in_the_script(capsys, shell):
    text = generated(capsys, shell)
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        assert name in text
        for action in command._actions:
            for flag in action.option_strings:
                if flag.startswith("--"):
                    word = flag if shell != "fish" else f"-l {flag[2:]}"
                    assert word in text, (shell, name, flag)
    assert "NA101" in text and "--output-format" in text.replace(
        "-l output-format", "--output-format"
    )


@pytest.mark.parametrize(
    "shell, check", [("zsh", ["zsh", "-n"]), ("fish", ["fish", "--no-execute"])]
)
def test_zsh_and_fish_scripts_parse(capsys, tmp_path, shell, check):
    if shutil.which(check[0]) is None:
        pytest.skip(f"{check[0]} is not installed here: its script is only checked for content")
    path = tmp_path / f"pfocr-lint.{shell}"
    path.write_text(generated(capsys, shell), encoding="utf-8")
    done = subprocess.run([*check, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_ruff_name_and_bad_shell(capsys):
    assert main(["generate-shell-completion", "bash"]) == 0
    assert capsys.readouterr().out == script("bash", build_parser())
    assert main(["completion", "tcsh"]) == 2
    assert "invalid choice" in capsys.readouterr().err


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ZPTY_DRIVER = r"""
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "source ${1:q}"
local line
repeat 100; do
  zpty -r z line
  [[ $line == *READY* ]] && break
done
zpty -w z "$2"$'\t'
local all="" chunk
while zpty -r z chunk; do all+=$chunk; done
print -r -- "$all"
"""
ZSH_INIT = """PROMPT=
autoload -U compinit
compinit -u -D
zstyle ':completion:*:default' list-colors 'no=<ENTRY>' 'lc=' 'rc='
zstyle ':completion:*' list-separator ''
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
setopt nolistambiguous
LISTMAX=10000
source {script}
comppostfuncs=( exit )
print READY
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed here")
def test_zsh_completes_in_a_real_interactive_zsh(capsys, tmp_path):
    """A Tab pressed in an interactive zsh (driven through zsh/zpty) after
    compinit: candidates are listed with an <ENTRY> marker, a single one is
    inserted into the line; no _arguments error on any spec."""
    script = tmp_path / "_pfocr-lint"
    script.write_text(generated(capsys, "zsh"), encoding="utf-8")
    init = tmp_path / "init.zsh"
    init.write_text(ZSH_INIT.format(script=script), encoding="utf-8")
    driver = tmp_path / "driver.zsh"
    driver.write_text(ZPTY_DRIVER, encoding="utf-8")

    def tab(line: str) -> str:
        done = subprocess.run(
            ["zsh", "-f", str(driver), str(init), line],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
        )
        text = ANSI.sub("", done.stdout).replace("\r", "").replace("\a", "")
        assert "_arguments" not in text and "invalid" not in text, text
        return text

    out = tab("pfocr-lint check --output-format j")
    assert "<ENTRY>json" in out and "<ENTRY>junit" in out and "<ENTRY>full" not in out
    out = tab("pfocr-lint rule NA10")
    assert all(f"<ENTRY>{c}" in out for c in all_rules() if c.startswith("NA10"))
    out = tab("pfocr-lint check --select NA101,GN10")  # the codes after the comma
    assert "<ENTRY>GN106" in out and "<ENTRY>NA" not in out
    assert "pfocr-lint report --no-baseline" in tab("pfocr-lint report --no-b")
    out = tab("pfocr-lint completion ")
    assert all(f"<ENTRY>{s}" in out for s in ("bash", "zsh", "fish"))


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed here")
def test_fish_completes(capsys, tmp_path):
    script = tmp_path / "pfocr-lint.fish"
    script.write_text(generated(capsys, "fish"), encoding="utf-8")

    def complete_fish(line: str) -> list[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {script}; complete -C {shlex.quote(line)}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return [ln.split("\t")[0] for ln in done.stdout.splitlines()]

    assert complete_fish("pfocr-lint check --output-format j") == ["json", "junit"]
    assert complete_fish("pfocr-lint ch") == ["check"]
    assert "--no-baseline" in complete_fish("pfocr-lint report --no-b")
    na = sorted(c for c in all_rules() if c.startswith("NA10"))
    assert complete_fish("pfocr-lint rule NA10") == na
