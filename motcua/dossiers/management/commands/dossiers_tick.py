from __future__ import annotations

from django.core.management.base import BaseCommand

from motcua.dossiers.services import abandon_unanswered, transfer_due_dossiers


class Command(BaseCommand):
    help = (
        "Periodic dossier work: transfer dossiers received after the cut-off, close dossiers whose "
        "supplement never came. Safe to run every minute, and twice at once."
    )

    def handle(self, *args: object, **options: object) -> None:
        moved = transfer_due_dossiers()
        closed = abandon_unanswered()
        self.stdout.write(f"transferred: {len(moved)}; closed for lack of supplement: {len(closed)}")
        for code in moved:
            self.stdout.write(f"  → {code}")
        for code in closed:
            self.stdout.write(f"  × {code}")
