"""The hot-path row access gives the same rows and writes as the ORM, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.core import rows
from motcua.core.rows.values import _db_values, _utc_moment
from motcua.workdays.models import AnnouncedDay, OfficeCalendar

pytestmark = pytest.mark.django_db

BY_CODE = rows.Prepared(lambda code: OfficeCalendar.objects.filter(code=code), code=str)
DAYS_OF = rows.Prepared(
    lambda calendar_id: AnnouncedDay.objects.filter(calendar_id=calendar_id).order_by("date"), calendar_id=int
)


def _calendar(code: str = "ha-tinh", **values: object) -> OfficeCalendar:
    return OfficeCalendar.objects.create(name="Lịch Hà Tĩnh", code=code, **values)  # type: ignore[arg-type]


def test_prepared_query_returns_the_same_values_as_the_orm() -> None:
    made = _calendar(sessions={"mon": [["07:30", "11:30"]]}, hours_per_day=Decimal("7.50"))
    loaded = BY_CODE.first(code="ha-tinh")
    orm = OfficeCalendar.objects.get(pk=made.pk)
    assert loaded is not None and loaded.pk == made.pk
    for field in OfficeCalendar._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.name
    # The fields' own conversions ran: JSON is a dict, decimals and times keep their types.
    assert loaded.sessions == {"mon": [["07:30", "11:30"]]}
    assert loaded.hours_per_day == Decimal("7.50") and isinstance(loaded.transfer_cutoff, dt.time)
    assert loaded.updated_at.tzinfo is not None


def test_prepared_query_runs_with_each_call_s_values() -> None:
    first, second = _calendar("mot"), _calendar("hai")
    AnnouncedDay.objects.create(date=dt.date(2026, 3, 2), kind="day_off", name="Nghỉ bù", calendar=first)
    AnnouncedDay.objects.create(date=dt.date(2026, 3, 1), kind="day_off", name="Nghỉ", calendar=first)
    AnnouncedDay.objects.create(date=dt.date(2026, 4, 1), kind="working_day", name="Làm bù", calendar=second)
    assert [d.date.day for d in DAYS_OF.rows(calendar_id=first.pk)] == [1, 2]
    assert [d.name for d in DAYS_OF.rows(calendar_id=second.pk)] == ["Làm bù"]
    assert BY_CODE.first(code="khong-co") is None


def test_prepared_query_is_compiled_once() -> None:
    _calendar()
    BY_CODE.first(code="ha-tinh")
    with CaptureQueriesContext(connection) as captured:
        BY_CODE.first(code="ha-tinh")
    assert len(captured) == 1


def test_prepared_query_refuses_what_it_cannot_rebuild() -> None:
    joined = rows.Prepared(lambda pk: AnnouncedDay.objects.select_related("calendar").filter(pk=pk), pk=int)
    with pytest.raises(ValueError, match="plain model rows"):
        joined.rows(pk=1)
    ignored = rows.Prepared(lambda code: OfficeCalendar.objects.all(), code=str)
    with pytest.raises(ValueError, match="never reach the SQL"):
        ignored.rows(code="x")


def test_insert_sets_keys_defaults_and_creation_times() -> None:
    calendar = rows.insert(OfficeCalendar(name="Lịch xã", code="xa"))
    assert calendar.pk is not None and calendar.created_at is not None
    stored = OfficeCalendar.objects.get(pk=calendar.pk)
    assert stored.sessions == calendar.sessions and stored.created_at == calendar.created_at
    days = rows.insert_many(
        [
            AnnouncedDay(date=dt.date(2026, 9, 2), kind="day_off", name="Quốc khánh", calendar=calendar),
            AnnouncedDay(date=dt.date(2026, 9, 1), kind="day_off", name="Nghỉ liền kề", calendar=calendar),
        ]
    )
    by_pk = {d.pk: d.name for d in AnnouncedDay.objects.filter(calendar=calendar)}
    assert by_pk == {days[0].pk: "Quốc khánh", days[1].pk: "Nghỉ liền kề"}


def test_insert_new_skips_rows_that_already_exist() -> None:
    _calendar("trung")
    written = rows.insert_new(
        [OfficeCalendar(name="Khác", code="trung"), OfficeCalendar(name="Mới", code="moi")]
    )
    assert written == 1
    assert OfficeCalendar.objects.get(code="trung").name == "Lịch Hà Tĩnh"
    assert OfficeCalendar.objects.filter(code="moi").exists()


def test_save_changes_writes_only_what_changed() -> None:
    _calendar()
    calendar = BY_CODE.first(code="ha-tinh")
    assert calendar is not None
    before = calendar.updated_at
    assert rows.save_changes(calendar) == []
    calendar.name, calendar.sessions = "Lịch mới", {"tue": []}
    with CaptureQueriesContext(connection) as captured:
        changed = rows.save_changes(calendar)
    assert set(changed) == {"name", "sessions", "updated_at"}
    sql = captured[0]["sql"]
    assert '"name"' in sql and '"sessions"' in sql and '"code"' not in sql.split("WHERE")[0]
    stored = OfficeCalendar.objects.get(pk=calendar.pk)
    assert (stored.name, stored.sessions) == ("Lịch mới", {"tue": []}) and stored.updated_at > before
    # A change made inside a JSON value counts too.
    calendar.sessions["tue"].append(["07:00", "11:00"])
    assert "sessions" in rows.save_changes(calendar)
    assert OfficeCalendar.objects.get(pk=calendar.pk).sessions == {"tue": [["07:00", "11:00"]]}


def test_save_changes_of_a_row_it_did_not_load_saves_it_whole() -> None:
    calendar = _calendar()
    calendar.name = "Đổi tên"
    rows.save_changes(calendar)
    assert OfficeCalendar.objects.get(pk=calendar.pk).name == "Đổi tên"


def test_save_changes_refuses_a_row_that_is_gone() -> None:
    _calendar()
    calendar = BY_CODE.first(code="ha-tinh")
    assert calendar is not None
    OfficeCalendar.objects.filter(pk=calendar.pk).delete()
    calendar.name = "Không còn"
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.save_changes(calendar)


def test_save_and_insert_writes_all_in_one_round_trip_on_postgresql() -> None:
    _calendar("mot"), _calendar("hai")
    first, second = BY_CODE.first(code="mot"), BY_CODE.first(code="hai")
    assert first is not None and second is not None
    first.name, second.sessions = "Lịch một", {"wed": []}
    day = AnnouncedDay(date=dt.date(2026, 9, 2), kind="day_off", name="Quốc khánh", calendar=first)
    with CaptureQueriesContext(connection) as captured:
        # A read sent after the writes sees them (same transaction, same batch).
        (found,) = rows.save_and_insert([first, second], day, (BY_CODE, {"code": "mot"}))
    assert len(captured) == (1 if connection.vendor == "postgresql" else 4)
    assert [c.name for c in found] == ["Lịch một"]
    assert day.pk == AnnouncedDay.objects.get(name="Quốc khánh").pk
    assert OfficeCalendar.objects.get(code="mot").name == "Lịch một"
    assert OfficeCalendar.objects.get(code="hai").sessions == {"wed": []}
    # What was written is remembered: nothing more to save.
    assert rows.save_changes(first) == rows.save_changes(second) == []


def test_read_together_reads_several_queries_in_one_round_trip_on_postgresql() -> None:
    first = _calendar("mot")
    AnnouncedDay.objects.create(date=dt.date(2026, 3, 2), kind="day_off", name="Nghỉ bù", calendar=first)
    with CaptureQueriesContext(connection) as captured:
        calendars, days = rows.read_together((BY_CODE, {"code": "mot"}), (DAYS_OF, {"calendar_id": first.pk}))
        nothing, none = rows.read_together((BY_CODE, {"code": "khong-co"}), (DAYS_OF, {"calendar_id": 0}))
    assert len(captured) == (2 if connection.vendor == "postgresql" else 4)
    assert [c.pk for c in calendars] == [first.pk] and [d.name for d in days] == ["Nghỉ bù"]
    assert nothing == none == []
    # Rows read together are tracked like any prepared read.
    calendars[0].name = "Lịch một"
    assert rows.save_changes(calendars[0]) == ["name", "updated_at"]


def test_save_and_insert_writes_nothing_when_a_row_is_gone() -> None:
    _calendar()
    calendar = BY_CODE.first(code="ha-tinh")
    assert calendar is not None
    OfficeCalendar.objects.filter(pk=calendar.pk).delete()
    other = _calendar("khac")
    calendar.name = "Không còn"
    day = AnnouncedDay(date=dt.date(2026, 9, 2), kind="day_off", name="Quốc khánh", calendar=other)
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.save_and_insert([calendar], day)
    assert not AnnouncedDay.objects.filter(calendar=other).exists()


def test_load_related_fills_foreign_keys_once() -> None:
    calendar = _calendar()
    day = AnnouncedDay.objects.create(
        date=dt.date(2026, 5, 1), kind="day_off", name="Lao động", calendar=calendar
    )
    national = AnnouncedDay.objects.create(date=dt.date(2026, 5, 2), kind="day_off", name="Nghỉ bù")
    loaded = DAYS_OF.first(calendar_id=calendar.pk)
    assert loaded is not None and loaded.pk == day.pk
    rows.load_related(loaded, "calendar")
    rows.load_related(national, "calendar")
    with CaptureQueriesContext(connection) as captured:
        assert loaded.calendar.code == "ha-tinh"
        assert national.calendar is None
        rows.load_related(loaded, "calendar")
    assert len(captured) == 0


def test_build_makes_the_instance_the_model_would() -> None:
    calendar = _calendar()
    values = {"date": dt.date(2026, 9, 2), "kind": "day_off", "name": "Quốc khánh", "calendar": calendar}
    built, made = rows.build(AnnouncedDay, **values), AnnouncedDay(**values)
    for field in AnnouncedDay._meta.concrete_fields:
        assert getattr(built, field.attname) == getattr(made, field.attname), field.name
    assert built.calendar is calendar and built._state.adding and built._state.db is None
    assert rows.build(OfficeCalendar, name="x", code="y").sessions == OfficeCalendar().sessions
    with pytest.raises(TypeError, match="no field"):
        rows.build(AnnouncedDay, colour="red")
    with pytest.raises(ValueError, match="must be a OfficeCalendar"):
        rows.build(AnnouncedDay, calendar=AnnouncedDay())


def test_insert_together_writes_groups_in_one_round_trip_on_postgresql() -> None:
    # Children given their parent before it was written take its id when they are written.
    calendar = rows.build(OfficeCalendar, name="Lịch xã", code="xa")
    day = functools.partial(rows.build, AnnouncedDay, kind="day_off", calendar=calendar)
    days = [day(date=dt.date(2026, 9, n), name=f"Ngày {n}") for n in (1, 2)]
    others = [OfficeCalendar(name="Lịch khác", code="khac")]
    rows.insert(calendar)
    with CaptureQueriesContext(connection) as captured:
        rows.insert_together(days, [], others)
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    assert {d.pk: d.name for d in AnnouncedDay.objects.filter(calendar=calendar)} == {
        days[0].pk: "Ngày 1",
        days[1].pk: "Ngày 2",
    }
    assert OfficeCalendar.objects.get(code="khac").pk == others[0].pk
    assert rows.save_changes(days[0]) == []  # remembered as written


@pytest.mark.skipif(not rows.batches(), reason="ids are drawn in advance where statements are batched")
def test_a_parent_with_a_drawn_id_goes_in_the_same_batch_as_its_children() -> None:
    ((pk,),) = rows.read_together((rows.NextIds(OfficeCalendar), {"count": 1}))
    calendar = rows.build(OfficeCalendar, id=pk, name="Lịch phường", code="phuong")
    days = [rows.build(AnnouncedDay, kind="day_off", calendar=calendar, date=dt.date(2026, 9, 2), name="Lễ")]
    with CaptureQueriesContext(connection) as captured:
        (found,) = rows.insert_together([calendar], days, then=[(DAYS_OF, {"calendar_id": pk})])
    assert len(captured) == 1
    assert calendar.pk == pk and [d.pk for d in found] == [days[0].pk]
    assert OfficeCalendar.objects.get(code="phuong").pk == pk
    # The next id drawn, or taken by a plain INSERT, is past the one used.
    assert OfficeCalendar.objects.create(name="Lịch khác", code="khac").pk > pk


def test_insert_new_then_read_writes_and_reads_in_one_round_trip_on_postgresql() -> None:
    _calendar("trung")
    new = [OfficeCalendar(name="Khác", code="trung"), OfficeCalendar(name="Mới", code="moi")]
    with CaptureQueriesContext(connection) as captured:
        written, (found,) = rows.insert_new_then_read(new, (BY_CODE, {"code": "moi"}))
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    assert written == 1 and [c.name for c in found] == ["Mới"]


def test_moments_are_written_as_django_writes_them() -> None:
    from zoneinfo import ZoneInfo

    from motcua.dossiers.models import DossierEvent

    field = DossierEvent._meta.get_field("at")
    base = dt.datetime(2025, 1, 1, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for n in range(500):
        moment = base + dt.timedelta(hours=n * 37, microseconds=(n * 7919) % 3 * 123_457)
        for zone in (ZoneInfo("Asia/Ho_Chi_Minh"), dt.UTC, ZoneInfo("Europe/Paris")):
            event = rows.build(DossierEvent, at=moment.astimezone(zone))
            [fast] = _db_values([field], event, connection, add=True)
            assert fast == field.get_db_prep_save(event.at, connection)
    # No moment is no moment, on the fast path too.
    assert _db_values([field], rows.build(DossierEvent, at=None), connection, add=True) == [None]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps moments as text")
def test_moments_are_read_back_as_django_reads_them() -> None:
    from motcua.dossiers.models import DossierEvent

    field = DossierEvent._meta.get_field("at")
    expression = field.get_col(DossierEvent._meta.db_table)
    base = dt.datetime(2025, 1, 1, 0, 30, tzinfo=dt.UTC)
    texts = [
        connection.ops.adapt_datetimefield_value(base + dt.timedelta(hours=n * 37, microseconds=n * 7919))
        for n in range(500)
    ]
    # As the sqlite3 module hands them over (parsed by Django's registered converter), and as text.
    parsed = [dt.datetime.fromisoformat(t) for t in texts[:100]]
    for text in [*texts, *parsed, "2025-01-01 00:30:00", "2025-01-01T00:30:00.5", None]:
        fast = _utc_moment(text, expression, connection)
        assert fast == connection.ops.convert_datetimefield_value(text, expression, connection)
        assert fast is None or fast.tzinfo is dt.UTC
    # Prepared reads use it: a read moment equals the written one.
    calendar = _calendar("doc")
    read = BY_CODE.first(code="doc")
    assert read is not None and read.updated_at == calendar.updated_at
    compiled = BY_CODE._compiled[(DEFAULT_DB_ALIAS, "sqlite")]
    assert _utc_moment in {c for _pos, convs, _e in compiled.converters for c in convs}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own backend")
def test_sqlite_statement_texts_are_converted_once_and_tests_stay_in_memory() -> None:
    from motcua.core.backends.sqlite3 import base

    base._qmark.cache_clear()
    for _ in range(3):
        BY_CODE.first(code="khong-co")
    info = base._qmark.cache_info()
    assert info.misses >= 1 and info.hits >= 2
    # Each xdist worker's test database is in memory: a file named after ":memory:" would be slow and
    # left behind in the working directory.
    assert connection.creation.is_in_memory_db(connection.settings_dict["NAME"])


def _plans_kept(prefix: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"{prefix}%"])
        return int(cursor.fetchone()[0])


@pytest.mark.skipif(not rows.batches(), reason="PostgreSQL keeps plans")
def test_postgresql_keeps_the_plan_of_a_statement_the_hot_path_repeats() -> None:
    _calendar()
    marker = 'SELECT "workdays_officecalendar"."id"'
    kept = _plans_kept(marker)
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert BY_CODE.first(code="ha-tinh") is not None
    assert _plans_kept(marker) == kept + 1
    # The kept plan answers with each call's values.
    assert BY_CODE.first(code="khong-co") is None


@pytest.mark.skipif(not rows.batches(), reason="batches are PostgreSQL's")
def test_an_error_in_a_batch_is_django_s_and_undoes_the_whole_batch() -> None:
    from django.db import IntegrityError

    first = _calendar("mot")
    day = AnnouncedDay(date=dt.date(2026, 9, 2), kind="day_off", name="Quốc khánh", calendar=first)
    twin = AnnouncedDay(date=dt.date(2026, 9, 3), kind="day_off", name="Trùng mã", calendar=first)
    clash = OfficeCalendar(name="Trùng", code="mot")  # the code is unique
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert_together([day, twin], [clash])
    assert not AnnouncedDay.objects.filter(calendar=first).exists()
    assert list(OfficeCalendar.objects.filter(code="mot")) == [first]


@pytest.mark.skipif(not rows.batches(), reason="batches are PostgreSQL's")
def test_a_batch_is_one_entry_of_the_query_log_with_its_values() -> None:
    _calendar("mot")
    with CaptureQueriesContext(connection) as captured:
        rows.read_together((BY_CODE, {"code": "mot"}), (BY_CODE, {"code": "hai"}))
    (logged,) = captured.captured_queries
    assert "'mot'" in logged["sql"] and "'hai'" in logged["sql"] and logged["sql"].count("SELECT") == 2
