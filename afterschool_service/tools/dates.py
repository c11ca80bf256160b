"""Dates and times as the reader writes them: 11月27日 周五, 17:45 in Chinese; Fri, Nov 27 in English.

Names and documents are composed when read, in the reader's language (env.lang), from these parts.
What day it is at a school is ``res.company._afterschool_today()``, not here.
"""

from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton

from odoo.tools.misc import babel_locale_parse, format_datetime

# A school whose calendar and address name no timezone keeps China's time.
DEFAULT_TZ = "Asia/Shanghai"

# Chinese schools write a day as 11月27日 周五 (month, day, weekday; a space before the weekday).
CHINESE_DAY = "M月d日 EEE"


def _locale(env):
    return babel_locale_parse(env.lang or "en_US")


def format_service_date(env, value):
    """A service day, short and with its weekday: 11月27日 周五 / Fri, Nov 27 ('' when empty)."""
    if not value:
        return ""
    locale = _locale(env)
    if locale.language == "zh":
        return babel_format_date(value, CHINESE_DAY, locale=locale)
    return format_skeleton("MMMEd", value, locale=locale)


def format_day(env, value):
    """A day without its weekday or year: 9月1日 / Sep 1 ('' when empty)."""
    if not value:
        return ""
    return format_skeleton("MMMd", value, locale=_locale(env))


def format_month(env, value):
    """A month: 2026年11月 / Nov 2026 ('' when empty)."""
    if not value:
        return ""
    return format_skeleton("yMMM", value, locale=_locale(env))


def format_time(env, value):
    """A UTC datetime as the reader's local time of day, 17:45 (no seconds; '' when empty)."""
    if not value:
        return ""
    return format_datetime(env, value, dt_format="HH:mm")


def format_full_date(env, value):
    """A day with its year, for periods and records that span years: 2026年11月27日 / Nov 27, 2026."""
    if not value:
        return ""
    return format_skeleton("yMMMd", value, locale=_locale(env))


def format_date_time(env, value):
    """A UTC datetime as the reader's local day and time: 2026年11月27日 17:45 / Nov 27, 2026 17:45."""
    if not value:
        return ""
    pattern = _locale(env).datetime_skeletons["yMMMd"].pattern
    return format_datetime(
        env, value, tz=env.context.get("tz") or False, dt_format=pattern + " HH:mm"
    )
