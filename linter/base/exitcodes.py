"""Exit codes and the usage error, shared by the command line and the run.

``0`` no finding at or above the failing severity; ``1`` findings; ``2`` usage
or configuration error, unreadable path, internal error.
"""

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake: reported in one line, exit 2."""
