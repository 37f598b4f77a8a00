"""CRM configuration: exports (build targets) and imports of existing CRMs.

One package per CRM (``salesforce``, ``hubspot``, ``pipedrive``), each with
its ``exporter`` (``render(ctx)`` per :mod:`gtmplay.render`), its
``importer`` where there is one, and the typed ``settings`` both read and
write: the exporter and the importer never share a string key, only those
dataclasses. :mod:`gtmplay.crm.mapping` holds what the settings of every CRM
share; :mod:`gtmplay.crm.imported` what the importers share. import-linter
contracts in ``pyproject.toml`` keep exporters and importers apart and each
CRM independent of the others.
"""
