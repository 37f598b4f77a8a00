"""CRM configuration: exports (build targets) and imports of existing CRMs.

Each export module (``salesforce``, ``hubspot``, ``pipedrive``)
exposes ``render(ctx)`` per :mod:`gtmplay.render`; :mod:`gtmplay.crm.mapping`
reads the playbook's optional ``crm:`` section with its defaults, so every
exporter and importer agrees on what a missing setting means.
"""
