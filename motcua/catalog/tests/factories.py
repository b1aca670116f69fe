"""Test data: a small province built with plain ORM rows, and catalog documents with real procedures."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from motcua.catalog.importing import import_catalog
from motcua.catalog.importing.schema import ProcedureIn
from motcua.catalog.spec import VersionContent
from motcua.org.models import AdministrativeUnit, Agency, Counter, ServicePoint, UnitLevel

FIELDS = [
    {"code": "ho-tich", "name": "Hộ tịch"},
    {"code": "chung-thuc", "name": "Chứng thực"},
    {"code": "cu-tru", "name": "Cư trú"},
    {"code": "dat-dai", "name": "Đất đai"},
]


@dataclass
class Org:
    tinh: UnitLevel
    xa: UnitLevel
    province: AdministrativeUnit
    ward: AdministrativeUnit
    agencies: dict[str, Agency]
    centre: ServicePoint
    ward_centre: ServicePoint


def _agency(code: str, name: str, kind: str, sector: str, unit: AdministrativeUnit, **extra: Any) -> Agency:
    return Agency.objects.create(code=code, name=name, kind=kind, sector=sector, unit=unit, **extra)


def build_org() -> Org:
    """Create Hà Tĩnh with one ward: levels, units, agencies (one merged), two centres with counters."""
    tinh = UnitLevel.objects.create(code="tinh", name="Tỉnh, thành phố trực thuộc trung ương", rank=1)
    UnitLevel.objects.create(code="huyen", name="Huyện (trước 01/7/2025)", rank=2)
    xa = UnitLevel.objects.create(code="xa", name="Xã, phường, đặc khu", rank=3)
    province = AdministrativeUnit.objects.create(code="42", name="Tỉnh Hà Tĩnh", level=tinh)
    ward = AdministrativeUnit.objects.create(code="42-TS", name="Phường Thành Sen", level=xa, parent=province)
    agencies = {
        a.code: a
        for a in [
            _agency("H42", "Ủy ban nhân dân tỉnh Hà Tĩnh", "province_committee", "committee", province),
            _agency(
                "H42.02",
                "Trung tâm Phục vụ hành chính công tỉnh",
                "service_centre",
                "service_centre",
                province,
            ),
            _agency("H42.10", "Sở Tư pháp", "department", "justice", province),
            _agency("H42.30", "Công an tỉnh Hà Tĩnh", "vertical", "police", province),
            _agency("H42.32", "Bảo hiểm xã hội tỉnh Hà Tĩnh", "vertical", "social_insurance", province),
            _agency("H42.50.01", "Ủy ban nhân dân phường Thành Sen", "commune_committee", "committee", ward),
            _agency("H42.30.01", "Công an phường Thành Sen", "vertical", "police", ward),
        ]
    }
    agencies["H42.436"] = _agency(
        "H42.436",
        "Ủy ban nhân dân huyện Thạch Hà (đã giải thể)",
        "commune_committee",
        "committee",
        province,
        merged_into=agencies["H42.50.01"],
        merged_on=dt.date(2025, 7, 1),
        is_active=False,
    )
    centre = ServicePoint.objects.create(
        code="ttpvhcc-tinh",
        name="Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
        kind="provincial_centre",
        unit=province,
        agency=agencies["H42.02"],
        address="Số 02A Nguyễn Tất Thành, phường Thành Sen",
    )
    centre.served_agencies.set([agencies["H42"], agencies["H42.10"], agencies["H42.30"]])
    Counter.objects.create(service_point=centre, number=1, name="Quầy 1 – Tư pháp", agency=agencies["H42.10"])
    Counter.objects.create(service_point=centre, number=2, name="Quầy 2 – Công an", agency=agencies["H42.30"])
    ward_centre = ServicePoint.objects.create(
        code="ttpvhcc-thanhsen",
        name="Trung tâm Phục vụ hành chính công phường Thành Sen",
        kind="commune_centre",
        unit=ward,
        agency=agencies["H42.50.01"],
    )
    ward_centre.served_agencies.set([agencies["H42.50.01"], agencies["H42.30.01"]])
    Counter.objects.create(service_point=ward_centre, number=1, name="Quầy 1 – Một cửa phường")
    return Org(tinh, xa, province, ward, agencies, centre, ward_centre)


KHAI_SINH: dict[str, Any] = {
    "code": "1.001193",
    "name": "Thủ tục đăng ký khai sinh",
    "field": "ho-tich",
    "levels": ["xa"],
    "version": {
        "effective_from": "2025-07-01",
        "decision": "Quyết định 2873/QĐ-UBND ngày 19/11/2025",
        "change": "new",
    },
    "status": "published",
    "lead_agency": {"local": "committee"},
    "deciding_agencies": [{"local": "committee"}],
    "implementing_agencies": [{"local": "committee"}],
    "implementing_text": "Ủy ban nhân dân cấp xã",
    "channels": ["counter", "post", "online"],
    "time_limit": {
        "amount": "0",
        "unit": "d",
        "text": "Ngay trong ngày tiếp nhận; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
    },
    "time_limits_by_channel": {"online": {"amount": "0", "unit": "d"}},
    "second_time_limit": None,
    "cutoff_rule": "cutoff_15h",
    "supplement_rule": "restart",
    "online_level": "full",
    "received_at_centre": True,
    "where_if_not": "",
    "boundary_free": False,
    "on_the_spot": True,
    "fees": [
        {
            "kind": "charge",
            "name": "Lệ phí đăng ký khai sinh",
            "method": "fixed",
            "amount_vnd": 0,
            "unit": "",
            "cap_vnd": None,
            "channel": "any",
            "exemption": "Miễn lệ phí đăng ký khai sinh đúng hạn (Luật Hộ tịch, Điều 11)",
        }
    ],
    "documents": [
        {
            "name": "Tờ khai đăng ký khai sinh",
            "form": "original",
            "copies": 1,
            "required": True,
            "condition": "",
            "template": "Mẫu tờ khai theo Thông tư 04/2024/TT-BTP",
            "note": "",
        },
        {
            "name": "Giấy chứng sinh",
            "form": "original",
            "copies": 1,
            "required": False,
            "condition": "Trường hợp không có giấy chứng sinh thì nộp văn bản của người làm chứng",
            "template": "",
            "note": "",
        },
    ],
    "conditions": "",
    "result": "Giấy khai sinh (bản chính)",
    "legal_basis": "Luật Hộ tịch năm 2014; Nghị định 123/2015/NĐ-CP",
    "applicant_steps": "Nộp hồ sơ tại Trung tâm Phục vụ hành chính công cấp xã hoặc trực tuyến",
    "process": [
        {
            "stage": 1,
            "branch": "",
            "name": "Tiếp nhận, kiểm tra hồ sơ",
            "actor": {"receiving": True},
            "role": "counter_officer",
            "days": "0.25",
            "counts_time": True,
        },
        {
            "stage": 2,
            "branch": "",
            "name": "Thẩm định, trình ký",
            "actor": {"lead": True},
            "role": "specialist",
            "days": "0.5",
            "counts_time": True,
        },
        {
            "stage": 3,
            "branch": "",
            "name": "Ký duyệt",
            "actor": {"lead": True},
            "role": "agency_leader",
            "days": "0.25",
            "counts_time": True,
        },
        {
            "stage": 4,
            "branch": "",
            "name": "Trả kết quả",
            "actor": {"receiving": True},
            "role": "counter_officer",
            "days": "0",
            "counts_time": False,
        },
    ],
}


def record(
    code: str,
    name: str,
    *,
    field: str = "ho-tich",
    levels: tuple[str, ...] = ("xa",),
    effective_from: str = "2025-07-01",
    change: str = "new",
    status: str = "published",
    **overrides: Any,
) -> dict[str, Any]:
    """Return a complete procedure record: the birth registration example with the given changes."""
    out = copy.deepcopy(KHAI_SINH)
    out.update(code=code, name=name, field=field, levels=list(levels), status=status)
    out["version"] = {"effective_from": effective_from, "decision": "", "change": change}
    out.update(copy.deepcopy(overrides))
    return out


def sample_records() -> list[dict[str, Any]]:
    """Six real procedures of a ward and a province, fixed and local agencies, parallel branches."""
    return [
        copy.deepcopy(KHAI_SINH),
        record(
            "1.000894",
            "Thủ tục đăng ký kết hôn",
            time_limit={"amount": "5", "unit": "d", "text": ""},
            process=[],
            on_the_spot=False,
            result="Giấy chứng nhận kết hôn",
        ),
        record("1.000656", "Thủ tục đăng ký khai tử", process=[], fees=[], result="Trích lục khai tử"),
        record(
            "2.000815",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
            "của Việt Nam cấp",
            field="chung-thuc",
            levels=("tinh", "xa"),
            channels=["counter"],
            online_level="none",
            time_limits_by_channel={},
            lead_agency={"agency": "H42.10"},
            deciding_agencies=[],
            implementing_agencies=[{"agency": "H42.10"}, {"local": "committee"}],
            process=[],
            result="Bản sao được chứng thực từ bản chính",
            fees=[
                {
                    "kind": "fee",
                    "name": "Phí chứng thực bản sao từ bản chính",
                    "method": "per_unit",
                    "amount_vnd": 2000,
                    "unit": "trang",
                    "cap_vnd": 200000,
                    "channel": "any",
                    "exemption": "",
                }
            ],
        ),
        record(
            "1.004222",
            "Đăng ký thường trú",
            field="cu-tru",
            lead_agency={"local": "police"},
            deciding_agencies=[{"local": "police"}],
            implementing_agencies=[{"local": "police"}],
            implementing_text="Công an cấp xã",
            online_level="full",
            cutoff_rule="online_17h",
            result="Thông báo kết quả đăng ký thường trú",
            time_limit={"amount": "7", "unit": "d", "text": "07 ngày làm việc"},
            time_limits_by_channel={"online": {"amount": "5", "unit": "d"}},
            on_the_spot=False,
            fees=[
                {
                    "kind": "charge",
                    "name": "Lệ phí đăng ký cư trú",
                    "method": "fixed",
                    "amount_vnd": 20000,
                    "unit": "",
                    "cap_vnd": None,
                    "channel": "counter",
                    "exemption": "Miễn cho trẻ em, người cao tuổi, người khuyết tật "
                    "(Thông tư 75/2022/TT-BTC)",
                },
                {
                    "kind": "charge",
                    "name": "Lệ phí đăng ký cư trú trực tuyến",
                    "method": "fixed",
                    "amount_vnd": 10000,
                    "unit": "",
                    "cap_vnd": None,
                    "channel": "online",
                    "exemption": "",
                },
            ],
            process=[],
        ),
        record(
            "1.013069",
            "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
            "cho trẻ em dưới 6 tuổi",
            time_limit={"amount": "3", "unit": "d", "text": "03 ngày làm việc"},
            on_the_spot=False,
            result="Giấy khai sinh; thẻ bảo hiểm y tế; thông báo kết quả đăng ký thường trú",
            process=[
                {
                    "stage": 1,
                    "branch": "",
                    "name": "Tiếp nhận hồ sơ liên thông",
                    "actor": {"receiving": True},
                    "role": "counter_officer",
                    "days": "0.25",
                    "counts_time": True,
                },
                {
                    "stage": 2,
                    "branch": "",
                    "name": "Đăng ký khai sinh",
                    "actor": {"lead": True},
                    "role": "specialist",
                    "days": "0.5",
                    "counts_time": True,
                },
                {
                    "stage": 3,
                    "branch": "cu-tru",
                    "name": "Đăng ký thường trú",
                    "actor": {"local": "police"},
                    "role": "specialist",
                    "days": "1",
                    "counts_time": True,
                },
                {
                    "stage": 3,
                    "branch": "bhyt",
                    "name": "Cấp thẻ bảo hiểm y tế",
                    "actor": {"agency": "H42.32"},
                    "role": "specialist",
                    "days": "1.5",
                    "counts_time": True,
                },
                {
                    "stage": 4,
                    "branch": "",
                    "name": "Trả kết quả",
                    "actor": {"receiving": True},
                    "role": "counter_officer",
                    "days": "0",
                    "counts_time": False,
                },
            ],
        ),
    ]


def document(*records: dict[str, Any], fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "format": "motcua-catalog/1",
        "fields": copy.deepcopy(FIELDS if fields is None else fields),
        "procedures": [copy.deepcopy(r) for r in records],
    }


def load_sample() -> None:
    """Import the sample catalog, failing loudly if the import reports errors."""
    report = import_catalog(document(*sample_records()))
    assert report.ok, report.errors


def content_of(raw: dict[str, Any]) -> VersionContent:
    """Turn an exchange record into the values services take."""
    return ProcedureIn.model_validate(raw).content()
