"""Handing a sync's alerts to the desktop notifier, or to stderr when there is none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from hstracker.cli.context import error_line
from hstracker.core.alerts import Alert

if TYPE_CHECKING:
    from rich.console import Console


def deliver(err: Console, alerts: list[Alert]) -> None:
    """One notification per alert; what no notifier took is printed on err. Never raises for
    a notifier: an alert must not turn a good sync into a failed one."""
    from hstracker.notify import find_notifier, send

    if not alerts:
        return  # a sync that changed nothing alerts nothing, not even about the notifier
    notifier = find_notifier()
    for alert in alerts:
        failed = None
        if notifier is not None:
            failed = send(notifier, f"hstracker: {alert.title}", "\n".join(alert.lines))
        if notifier is None or failed:
            for line in alert.lines:
                err.print(Text(line), soft_wrap=True)
        if failed:
            error_line(err, f"{failed}; the alert is above.", style=None)
    if notifier is None:
        err.print(
            Text(
                "hstracker: no desktop notifier found (notify-send or osascript on PATH); "
                "the alerts are above."
            ),
            soft_wrap=True,
        )
