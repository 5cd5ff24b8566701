"""Rule modules, one per family (see ``linter.registry.FAMILY_MODULES``)."""
