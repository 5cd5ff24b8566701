"""Rule modules, one per family (see ``linter.rules.registry.FAMILY_MODULES``)."""
