"""The digests of the linter's own keys, from CPython's built-in modules:
BLAKE2b (findings' fingerprints, the collection index and its values, the
lexicon's key filter) and SHA-256 of small texts (the schema's identity).
Importing :mod:`hashlib` loads OpenSSL, which costs a short run (the
pre-commit hook's) several milliseconds; ``hashlib.blake2b`` is this same
function. (The results cache hashes whole files and keeps :mod:`hashlib`,
whose SHA-256 and SHA-1 are OpenSSL's, faster on large inputs.)"""

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the module
    from hashlib import blake2b

try:
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.10, 3.11
    except ImportError:  # pragma: no cover - an interpreter without either
        from hashlib import sha256

__all__ = ["blake2b", "sha256"]
