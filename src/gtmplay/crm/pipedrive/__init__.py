"""Pipedrive: pipeline export (``exporter``); ``crm.pipedrive`` is read by :mod:`.settings`."""
