"""gtmplay: a declarative go-to-market playbook compiler."""

__version__ = "0.1.0"
