"""Salesforce: metadata export (``exporter``) and whole-org import (``importer``).

Both read and write ``crm.salesforce`` only through :mod:`.settings`; the
importer's file scan (``scan``), XML reader (``xmlio``) and Path guidance
conversion (``guidance``) live beside them.
"""
