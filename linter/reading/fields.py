"""Where a record keeps the fields several rules read, in one place: the
caption (``caption``, or the JSON-LD ``description`` of records that have
none) and the JSON-LD keywords."""

from __future__ import annotations


def caption(data) -> tuple[object, str]:
    """The figure's caption and its JSON pointer: ``/caption`` when it is a
    string, else ``schema-jsonld.description`` (``None`` when there is no
    ``schema-jsonld`` mapping)."""
    if not isinstance(data, dict):
        return None, "/caption"
    text = data.get("caption")
    if isinstance(text, str):
        return text, "/caption"
    jsonld = data.get("schema-jsonld")
    return (jsonld.get("description") if isinstance(jsonld, dict) else None), (
        "/schema-jsonld/description"
    )


def jsonld_keywords(data) -> object:
    """``schema-jsonld.keywords`` as written (``None`` when there is no
    ``schema-jsonld`` mapping)."""
    jsonld = data.get("schema-jsonld") if isinstance(data, dict) else None
    return jsonld.get("keywords") if isinstance(jsonld, dict) else None
