"""``synthcheck init``: write an environment file for a running service (docs/init.md).

Layers: ``discover`` (GET-only probing of common health/ready/live paths, bounded),
``openapi`` (the data endpoint from an OpenAPI document, examples and enums only),
``schemas`` (loose JSON Schemas of the answers seen), ``propose`` (timeouts and the
environment document), ``write`` (TOML, files, validation), ``command`` (the CLI).
"""
