"""Small display filters for the citizen portal: money, working days, status badges."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from motcua.portal.selectors.dossiers import status_badge

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """Write an amount of money the Vietnamese way: 1.500.000 đồng; 0 is "free"."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Free")
    return f"{amount:,}".replace(",", ".") + " đ"


@register.filter
def amount(value: Decimal | int | None) -> str:
    """Write 3.00 as 3 and 0.25 as 0,25 (in the page's language)."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(number, decimal_pos=places)


@register.filter
def badge(status: str) -> str:
    return f"badge-{status_badge(status)}"
