"""Moments of new moons and the Sun's longitude, for the Vietnamese lunar calendar.

Formulae from Jean Meeus, *Astronomical Algorithms* (2nd ed., 1998): chapter 49 (phases of the Moon,
with all periodic and planetary corrections, error well under a minute), chapter 25 (solar coordinates,
low accuracy: about 0.01°, i.e. a quarter of an hour of solar motion) and the ΔT polynomials of
Espenak & Meeus (NASA, 2006). Times are Julian Days; "UT" means Universal Time, "TT" Terrestrial Time.
"""

from __future__ import annotations

import math
from datetime import date

# JDN of 0001-01-01 minus its proleptic Gregorian ordinal: date.toordinal() + this = Julian Day Number.
_ORDINAL_TO_JDN = 1721425
_SYNODIC_MONTH = 29.530588861
_RAD = math.pi / 180.0

# Meeus table 49.A (new moon): (coefficient, power of E, multipliers of M, M', F, Ω).
_NEW_MOON_TERMS: tuple[tuple[float, int, int, int, int, int], ...] = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# Meeus, additional corrections for all phases: (coefficient, A0, rate per lunation k).
_PLANETARY_TERMS: tuple[tuple[float, float, float], ...] = (
    (0.000325, 299.77, 0.107408),
    (0.000165, 251.88, 0.016321),
    (0.000164, 251.83, 26.651886),
    (0.000126, 349.42, 36.412478),
    (0.000110, 84.66, 18.206239),
    (0.000062, 141.74, 53.303771),
    (0.000060, 207.14, 2.453732),
    (0.000056, 154.84, 7.306860),
    (0.000047, 34.52, 27.261239),
    (0.000042, 207.19, 0.121824),
    (0.000040, 291.34, 1.844379),
    (0.000037, 161.72, 24.198154),
    (0.000035, 239.56, 25.513099),
    (0.000023, 331.55, 3.592518),
)


def jdn(d: date) -> int:
    """Return the Julian Day Number (the Julian Day at noon) of a Gregorian date."""
    return d.toordinal() + _ORDINAL_TO_JDN


def date_of_jdn(day_number: int) -> date:
    """Return the Gregorian date of a Julian Day Number."""
    return date.fromordinal(day_number - _ORDINAL_TO_JDN)


def delta_t_days(year: float) -> float:
    """Return ΔT = TT − UT in days for a decimal year (Espenak & Meeus polynomials)."""
    y = year
    if y < 1860:
        seconds = 7.0  # about its value over 1800–1860; below a minute either way
    elif y < 1900:
        t = y - 1860
        seconds = (
            7.62 + 0.5737 * t - 0.251754 * t**2 + 0.01680668 * t**3 - 0.0004473624 * t**4 + t**5 / 233174
        )
    elif y < 1920:
        t = y - 1900
        seconds = -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    elif y < 1941:
        t = y - 1920
        seconds = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif y < 1961:
        t = y - 1950
        seconds = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif y < 1986:
        t = y - 1975
        seconds = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif y < 2005:
        t = y - 2000
        seconds = (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    elif y < 2050:
        t = y - 2000
        seconds = 62.92 + 0.32217 * t + 0.005589 * t**2
    elif y < 2150:
        seconds = -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)
    else:
        seconds = -20 + 32 * ((y - 1820) / 100) ** 2
    return seconds / 86400.0


def _year_of_jd(jd: float) -> float:
    return 2000.0 + (jd - 2451545.0) / 365.25


def new_moon_ut(k: int) -> float:
    """Return the Julian Day (UT) of new moon number k (k = 0 is the new moon of 6 January 2000)."""
    t = k / 1236.85
    jde = 2451550.09766 + _SYNODIC_MONTH * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = (2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3) * _RAD
    mp = (201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4) * _RAD
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4) * _RAD
    omega = (124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3) * _RAD
    correction = 0.0
    for coefficient, e_power, cm, cmp, cf, comega in _NEW_MOON_TERMS:
        correction += coefficient * e**e_power * math.sin(cm * m + cmp * mp + cf * f + comega * omega)
    for coefficient, a0, rate in _PLANETARY_TERMS:
        angle = a0 + rate * k
        if rate == 0.107408:  # A1 carries a T² term (Meeus 49)
            angle -= 0.009173 * t**2
        correction += coefficient * math.sin(angle * _RAD)
    jde += correction
    return jde - delta_t_days(_year_of_jd(jde))


def lunation_near(jd: float) -> int:
    """Return the number k of the last mean new moon at or before Julian Day jd."""
    return math.floor((jd - 2451550.09766) / _SYNODIC_MONTH)


def sun_longitude(jd_ut: float) -> float:
    """Return the Sun's apparent ecliptic longitude in degrees [0, 360) at Julian Day jd_ut (UT)."""
    jde = jd_ut + delta_t_days(_year_of_jd(jd_ut))
    t = (jde - 2451545.0) / 36525.0
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = (357.52911 + 35999.05029 * t - 0.0001537 * t**2) * _RAD
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    omega = (125.04 - 1934.136 * t) * _RAD
    # Aberration (−0.00569°) and the main nutation term, Meeus 25.8.
    apparent = l0 + centre - 0.00569 - 0.00478 * math.sin(omega)
    return apparent % 360.0
