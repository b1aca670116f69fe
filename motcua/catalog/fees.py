"""Fees and charges due for a filing: pure arithmetic over a version's fee rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from motcua.catalog.choices import Channel, FeeChannel, FeeMethod
from motcua.core.errors import ValidationFailed


class FeeLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def amount_vnd(self) -> int: ...
    @property
    def cap_vnd(self) -> int | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def exemption(self) -> str: ...


@dataclass(frozen=True)
class FeeLine:
    kind: str
    name: str
    amount_vnd: int
    waived: bool = False


def applies_to(rule: FeeLike, channel: str) -> bool:
    """Tell whether a rule applies to a filing channel; `counter` rules cover all paper filings."""
    if rule.channel == FeeChannel.ANY:
        return True
    if rule.channel == FeeChannel.ONLINE:
        return channel == Channel.ONLINE
    return channel in (Channel.COUNTER, Channel.POST)


def fee_breakdown(
    rules: Iterable[FeeLike], *, channel: str, quantity: int = 1, exempt: bool = False
) -> list[FeeLine]:
    """List what each applicable rule charges; `exempt` waives every rule that states an exemption."""
    if channel not in Channel.values:
        raise ValidationFailed(
            _("Invalid filing channel: %(channel)s.") % {"channel": channel}, code="invalid_channel"
        )
    if quantity < 1:
        raise ValidationFailed(_("The quantity must be 1 or more."), code="invalid_quantity")
    lines = []
    for rule in rules:
        if not applies_to(rule, channel):
            continue
        if rule.method == FeeMethod.PER_UNIT:
            amount = rule.amount_vnd * quantity
            if rule.cap_vnd is not None:
                amount = min(amount, rule.cap_vnd)
        else:
            amount = rule.amount_vnd
        waived = exempt and bool(rule.exemption.strip())
        lines.append(
            FeeLine(kind=rule.kind, name=rule.name, amount_vnd=0 if waived else amount, waived=waived)
        )
    return lines


def compute_fees(rules: Iterable[FeeLike], *, channel: str, quantity: int = 1, exempt: bool = False) -> int:
    """Return the total VND due for a filing on `channel` with `quantity` units (pages, copies…)."""
    return sum(
        line.amount_vnd for line in fee_breakdown(rules, channel=channel, quantity=quantity, exempt=exempt)
    )
