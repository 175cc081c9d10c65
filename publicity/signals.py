"""Hooks for the apps whose decisions are published (publicity never imports them).

`publication_moved` is sent inside the move's transaction, after the status changed and the ledger
act was written, with sender=Publication, publication, status (the new one), actor. The cases app
satisfies its publication deadline on "published" (cases.services.publication).
"""

from django.dispatch import Signal

publication_moved = Signal()
