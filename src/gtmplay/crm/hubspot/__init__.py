"""HubSpot: deal pipeline export (``exporter``) and import (``importer``).

Both read and write ``crm.hubspot`` only through :mod:`.settings`.
"""
