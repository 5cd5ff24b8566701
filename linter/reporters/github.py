"""GitHub Actions workflow commands (annotations on the pull request)."""

from linter.reporters import Reporter, clean, statistics_lines, summary_line

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _esc_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _esc_prop(text: str) -> str:
    return _esc_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def file(self, result) -> None:
        for f in result.findings:
            s = f.span
            props = [f"file={_esc_prop(clean(f.filename, newlines=True))}"]
            if s:
                props += [
                    f"line={s.line}",
                    f"col={s.col}",
                    f"endLine={s.end_line}",
                    f"endColumn={s.end_col}",
                ]
            props.append(f"title={_esc_prop(f'{f.code} {f.name}')}")
            level = _LEVEL.get(f.severity, "warning")
            self.stream.write(
                f"::{level} {','.join(props)}::"
                f"{_esc_data(f'{f.code} ' + clean(f.message, newlines=True))}\n"
            )

    def finish(self, summary, *, quiet=False, statistics=False) -> None:
        if statistics:
            for row in statistics_lines(summary):
                self.stream.write(row + "\n")
        if not quiet:
            self.stream.write(summary_line(summary).splitlines()[0] + "\n")
