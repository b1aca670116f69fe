#!/usr/bin/env python3
"""Convert the shared procedure sample (JSON lines) into a `motcua-catalog/1` document.

Dev-time tool, standard library only, run by hand:

    python3 scripts/convert_sample_procedures.py \
        /work/shared/data/procedures-sample.jsonl motcua/catalog/data/sample_procedures.json

The project never reads the sample itself: the output is committed under motcua/catalog/data/.
Every rule applied here is listed in motcua/catalog/data/README.md; `--report` prints the records
the rules touched (skipped, merged, fallback time limit, dropped process) for that README.
The output is deterministic: same input, same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

FORMAT = "motcua-catalog/1"
DEMO_PROVINCE = "Tỉnh Hà Tĩnh"
DEFAULT_EFFECTIVE_FROM = "2025-07-01"
HOURS_PER_DAY = Decimal(8)
CODE_RE = re.compile(r"^\d\.\d{6}$")

# Field names as the two provinces publish them -> our field codes (fields.json holds the names).
FIELD_CODES = {
    "Bảo trợ xã hội": "bao-tro-xa-hoi",
    "Báo chí, xuất bản": "bao-chi-xuat-ban",
    "Chứng thực": "chung-thuc",
    "Công chức, viên chức": "cong-chuc-vien-chuc",
    "Công tác thanh niên": "cong-tac-thanh-nien",
    "Di sản": "di-san",
    "Di sản văn hóa": "di-san",
    "Du lịch": "du-lich",
    "Hoạt động mua bán hàng hóa quốc tế chuyên ngành văn hóa": "mua-ban-hang-hoa-quoc-te-van-hoa",
    "Khí tượng thủy văn": "khi-tuong-thuy-van",
    "Lao động": "lao-dong",
    "Mỹ thuật, Nhiếp ảnh và Triển lãm": "my-thuat-nhiep-anh-trien-lam",
    "Nghệ thuật biểu diễn": "nghe-thuat-bieu-dien",
    "Phát thanh, truyền hình và thông tin điện tử": "phat-thanh-truyen-hinh",
    "Phí, lệ phí": "phi-le-phi",
    "Phòng, chống tệ nạn xã hội": "phong-chong-te-nan-xa-hoi",
    "Thi đua khen thưởng": "thi-dua-khen-thuong",
    "Trẻ em": "tre-em",
    "Tài nguyên nước": "tai-nguyen-nuoc",
    "Văn hóa cơ sở": "van-hoa-co-so",
    "Văn thư, lưu trữ": "van-thu-luu-tru",
    "Xuất bản, In và Phát hành": "xuat-ban-in-phat-hanh",
}

# Names of the fields this converter may emit (a subset of motcua/catalog/data/fields.json).
FIELD_NAMES = {
    "bao-chi-xuat-ban": "Báo chí",
    "bao-tro-xa-hoi": "Bảo trợ xã hội",
    "chung-thuc": "Chứng thực",
    "cong-chuc-vien-chuc": "Công chức, viên chức",
    "cong-tac-thanh-nien": "Công tác thanh niên",
    "di-san": "Di sản văn hóa",
    "du-lich": "Du lịch",
    "khi-tuong-thuy-van": "Khí tượng thủy văn",
    "lao-dong": "Lao động",
    "mua-ban-hang-hoa-quoc-te-van-hoa": "Hoạt động mua bán hàng hóa quốc tế chuyên ngành văn hóa",
    "my-thuat-nhiep-anh-trien-lam": "Mỹ thuật, nhiếp ảnh và triển lãm",
    "nghe-thuat-bieu-dien": "Nghệ thuật biểu diễn",
    "phat-thanh-truyen-hinh": "Phát thanh, truyền hình và thông tin điện tử",
    "phi-le-phi": "Phí, lệ phí",
    "phong-chong-te-nan-xa-hoi": "Phòng, chống tệ nạn xã hội",
    "tai-nguyen-nuoc": "Tài nguyên nước",
    "thi-dua-khen-thuong": "Thi đua, khen thưởng",
    "tre-em": "Trẻ em",
    "van-hoa-co-so": "Văn hóa cơ sở",
    "van-thu-luu-tru": "Văn thư, lưu trữ",
    "xuat-ban-in-phat-hanh": "Xuất bản, in và phát hành",
    "y-te": "Y tế",
}

# Records whose field is null in the source: field inferred from the name (first match wins).
FIELD_FROM_NAME = [
    ("lưu hành tự do (CFS)", "bao-chi-xuat-ban"),
    ("giám định cổ vật", "di-san"),
    ("người đẹp, người mẫu", "nghe-thuat-bieu-dien"),
    ("trò chơi điện tử", "phat-thanh-truyen-hinh"),
    ("thiết bị y tế", "y-te"),
    ("pháp y", "y-te"),
]

# Lead agency by the department a Cao Bằng step names (first step that names one wins).
LEAD_FROM_STEP_UNIT = [
    ("Sở Y tế", "H42.14"),
    ("Sở Nông nghiệp và Môi trường", "H42.12"),
    ("Sở Nội vụ", "H42.13"),
    ("Sở VHTTDL", "H42.11"),
    ("Sở Văn hóa", "H42.11"),
    ("Sở Tư pháp", "H42.10"),
]

# Lead agency by the Hà Tĩnh decision that published the record (its steps are not published).
LEAD_FROM_DECISION = {
    "2914/QĐ-UBND": "H42.11",  # the Sở VHTTDL catalogue: culture, tourism, press, publishing
    "2904/QĐ-UBND": "H42.11",  # press export certificates (CFS), Sở VHTTDL since 03/2025
    "3004/QĐ-UBND": "H42.14",  # medical devices
    "3005/QĐ-UBND": "H42.14",  # forensic medical examiners, proposed by Sở Y tế
    "2873/QĐ-UBND": "H42.10",  # certification at province level (copy from master register)
}

# Lead agency by field, after the March 2025 reorganisation of ministries and departments:
# social protection, children and social evils moved from labour to health (Sở Y tế); press,
# publishing and broadcasting moved from information and communications to culture (Sở VHTTDL).
LEAD_FROM_FIELD = {
    "bao-chi-xuat-ban": "H42.11",
    "bao-tro-xa-hoi": "H42.14",
    "chung-thuc": "H42.10",
    "cong-chuc-vien-chuc": "H42.13",
    "cong-tac-thanh-nien": "H42.13",
    "di-san": "H42.11",
    "du-lich": "H42.11",
    "khi-tuong-thuy-van": "H42.12",
    "lao-dong": "H42.13",
    "mua-ban-hang-hoa-quoc-te-van-hoa": "H42.11",
    "my-thuat-nhiep-anh-trien-lam": "H42.11",
    "nghe-thuat-bieu-dien": "H42.11",
    "phat-thanh-truyen-hinh": "H42.11",
    "phi-le-phi": "H42.12",
    "phong-chong-te-nan-xa-hoi": "H42.14",
    "tai-nguyen-nuoc": "H42.12",
    "thi-dua-khen-thuong": "H42.13",
    "tre-em": "H42.14",
    "van-hoa-co-so": "H42.11",
    "van-thu-luu-tru": "H42.13",
    "xuat-ban-in-phat-hanh": "H42.11",
    "y-te": "H42.14",
}

CHANNELS = {"truc_tiep": "counter", "buu_chinh": "post", "truc_tuyen": "online"}
CHANNEL_ORDER = ["counter", "post", "online"]
ONLINE_LEVELS = {"toan_trinh": "full", "mot_phan": "partial", None: "none"}
CUTOFFS = {"after 15:00 next working day": "cutoff_15h"}

DESK_WORDS = ("tiếp nhận và trả kết quả", "ttpvhcc", "trung tâm phục vụ hành chính công", "tiếp nhận hồ sơ")
# The provincial People's Committee office and its divisions (Khoa giáo - Văn xã, Nội chính, Kinh tế).
PROVINCE_OFFICE_WORDS = (
    "văn phòng ubnd tỉnh",
    "văn phòng ủy ban nhân dân tỉnh",
    "văn phòng uỷ ban nhân dân tỉnh",
    "khoa giáo - văn xã",
    "kgvx",
    "phòng nội chính",
)
PROVINCE_COMMITTEE_WORDS = ("ubnd tỉnh", "ủy ban nhân dân tỉnh", "uỷ ban nhân dân tỉnh")
# Matched at the start of the unit only: "Công chức ... trình Lãnh đạo phòng" is a specialist.
AGENCY_LEADER_PREFIXES = ("lãnh đạo sở", "lãnh đạo ubnd", "lãnh đạo ủy ban", "chủ tịch", "giám đốc")
UNIT_LEADER_PREFIXES = ("lãnh đạo", "người đứng đầu", "trưởng phòng")

CHUNG_THUC_TIERS = re.compile(
    r"2\.000 đồng/trang; từ trang thứ 3 trở lên thu 1\.000 đồng/trang, tối đa thu không quá 200\.000 đồng/bản"
)


class Report:
    """What the rules did, by record, for the README."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = defaultdict(list)

    def add(self, section: str, line: str) -> None:
        self.lines[section].append(line)

    def render(self) -> str:
        out = []
        for section in sorted(self.lines):
            out.append(f"## {section} ({len(self.lines[section])})")
            out.extend(f"- {line}" for line in self.lines[section])
            out.append("")
        return "\n".join(out)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    bare = re.sub(r"^thu tuc\s+", "", bare.strip())
    return re.sub(r"[^a-z0-9]+", " ", bare).strip()


def clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def dec(value: Decimal) -> str:
    """A decimal string with at most two places (the catalog stores days as DECIMAL(_, 2))."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def label(row: dict[str, Any]) -> str:
    province = (row.get("province") or "").replace("Tỉnh ", "")
    return (
        f"{row.get('code') or '(không mã)'} [{province}, dòng {row['_line']}] {clean(row.get('name'))[:90]}"
    )


def decision_date(decision: str) -> str | None:
    match = re.search(r"ngày (\d{1,2})/(\d{1,2})/(\d{4})", decision or "")
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def decision_text(row: dict[str, Any]) -> str:
    province = row["province"].replace("Tỉnh ", "tỉnh ")
    text = f"Quyết định số {clean(row['decision'])} của Ủy ban nhân dân {province}"
    if row["province"] != DEMO_PROVINCE:
        text += (
            f" (thủ tục và quy trình nội bộ do {province} công bố, dùng làm dữ liệu mẫu cho tỉnh "
            "demo Hà Tĩnh)"
        )
    return text


def field_of(row: dict[str, Any], report: Report) -> str | None:
    if row.get("field"):
        return FIELD_CODES.get(clean(row["field"]))
    for needle, code in FIELD_FROM_NAME:
        if needle.lower() in clean(row.get("name")).lower():
            report.add("Lĩnh vực suy ra từ tên (nguồn để trống)", f"{label(row)} → {code}")
            return code
    return None


def lead_agency_of(row: dict[str, Any], field: str, levels: list[str]) -> dict[str, Any]:
    if levels == ["xa"]:
        return {"local": "committee"}
    for step in row.get("steps") or []:
        unit = clean(step.get("unit"))
        for needle, code in LEAD_FROM_STEP_UNIT:
            if needle in unit:
                return {"agency": code}
    decision_no = clean(row.get("decision")).split(" ")[0]
    if row["province"] == DEMO_PROVINCE and decision_no in LEAD_FROM_DECISION:
        return {"agency": LEAD_FROM_DECISION[decision_no]}
    return {"agency": LEAD_FROM_FIELD[field]}


def parse_days(text: str) -> Decimal | None:
    """'0,5 ngày làm việc' → 0.5; '4 giờ' → 0.5 (8 working hours a day); '30 ngày' → 30."""
    match = re.match(r"^\s*(?:không quá\s*)?(\d+(?:[.,]\d+)?)\s*(?:\([^)]*\)\s*)?(ngày|giờ)?", text, re.I)
    if not match:
        return None
    amount = Decimal(match.group(1).replace(",", "."))
    if (match.group(2) or "").lower() == "giờ":
        amount = amount / HOURS_PER_DAY
    return amount


def time_limit_of(row: dict[str, Any], report: Report) -> tuple[dict[str, Any], bool]:
    """Return the time limit and whether it is known (unknown → the documented fallback)."""
    text = clean(row.get("time_limit_text"))
    if row.get("time_limit_days") is not None:
        return {"amount": dec(Decimal(str(row["time_limit_days"]))), "unit": "d", "text": text}, True
    match = re.match(r"^\s*(?:không quá\s*)?(\d+(?:[.,]\d+)?)\s*(?:\([^)]*\)\s*)?ngày\b", text, re.I)
    if match:
        amount = Decimal(match.group(1).replace(",", "."))
        report.add(
            "Thời hạn đọc từ văn bản (time_limit_days trống)", f"{label(row)}: «{text}» → {dec(amount)} d"
        )
        return {"amount": dec(amount), "unit": "d", "text": text}, True
    report.add(
        "Không có thời hạn dùng được → bản nháp (status draft, amount 0, giữ nguyên văn)",
        f"{label(row)}: «{text or 'không ghi'}»",
    )
    return {
        "amount": "0",
        "unit": "d",
        "text": text or "Quyết định công bố không ghi thời hạn giải quyết",
    }, False


def fees_of(row: dict[str, Any], report: Report) -> list[dict[str, Any]]:
    text = clean(row.get("fee_text"))
    body = re.sub(r"^-?\s*Phí:\s*", "", text).strip()
    kind = "charge" if text.lower().startswith("lệ phí") else "fee"
    if row.get("fee_vnd") is not None:
        amount = int(row["fee_vnd"])
        if amount == 0:
            name = "Không thu phí, lệ phí" if text in ("", "Không") else f"Phí, lệ phí: {text}"
        else:
            name = body[:500]
        return [
            {
                "kind": kind,
                "name": name,
                "method": "fixed",
                "amount_vnd": amount,
                "unit": "",
                "cap_vnd": None,
                "channel": "any",
                "exemption": "",
            }
        ]
    if text and CHUNG_THUC_TIERS.search(text):
        report.add("Phí bậc thang chứng thực đọc từ văn bản (fee_vnd trống)", f"{label(row)}")
        note = (
            "Trang là căn cứ để thu phí được tính theo trang của bản chính; tối đa 200.000 đồng/bản "
            "(mức trần áp dụng cho từng bản sao)."
        )
        return [
            {
                "kind": "fee",
                "name": "Phí chứng thực bản sao: trang thứ nhất và thứ hai",
                "method": "per_unit",
                "amount_vnd": 2000,
                "unit": "trang (trang 1–2 của mỗi bản)",
                "cap_vnd": None,
                "channel": "any",
                "exemption": note,
            },
            {
                "kind": "fee",
                "name": "Phí chứng thực bản sao: từ trang thứ ba",
                "method": "per_unit",
                "amount_vnd": 1000,
                "unit": "trang (từ trang 3 của mỗi bản)",
                "cap_vnd": 196000,
                "channel": "any",
                "exemption": note,
            },
        ]
    if text:
        report.add("Phí không phải một số tiền cố định → không tạo mức phí", f"{label(row)}: «{text}»")
    return []


def actor_of(unit: str, index: int, last: int, lead: dict[str, Any]) -> tuple[dict[str, Any], str]:
    low = clean(unit).lower()
    head = low.lstrip("- ").strip()
    at_desk = any(word in low for word in DESK_WORDS)
    if at_desk and index in (0, last):
        return {"receiving": True}, "counter_officer"
    if any(word in low for word in PROVINCE_OFFICE_WORDS):
        if head.startswith("lãnh đạo phòng"):
            return {"agency": "H42.01"}, "unit_leader"
        return {"agency": "H42.01"}, "agency_leader" if head.startswith("lãnh đạo") else "specialist"
    if any(word in low for word in PROVINCE_COMMITTEE_WORDS) and lead != {"agency": "H42"}:
        return {"agency": "H42"}, "agency_leader"
    if at_desk:
        return {"receiving": True}, "counter_officer"
    if head.startswith(AGENCY_LEADER_PREFIXES):
        return {"lead": True}, "agency_leader"
    if head.startswith(UNIT_LEADER_PREFIXES):
        return {"lead": True}, "unit_leader"
    return {"lead": True}, "specialist"


def split_runs(steps: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The extraction sometimes glued two processes together: each restarts at 'Bước 1'."""
    runs: list[list[dict[str, Any]]] = []
    for step in steps:
        if not runs or re.match(r"^\s*Bước\s*1\s*[:.]", step.get("step") or ""):
            runs.append([])
        runs[-1].append(step)
    return runs


def process_of(
    row: dict[str, Any], lead: dict[str, Any], limit: dict[str, Any], known: bool, report: Report
) -> list[dict[str, Any]]:
    steps = row.get("steps") or []
    if not steps:
        return []
    runs = split_runs(steps)
    if len(runs) > 1:
        report.add(
            "Quy trình nguồn gồm nhiều quy trình ghép → giữ quy trình cuối",
            f"{label(row)}: {len(runs)} quy trình, giữ {len(runs[-1])} bước cuối",
        )
        steps = runs[-1]
    out: list[dict[str, Any]] = []
    last = len(steps) - 1
    for index, step in enumerate(steps):
        time_text = clean(step.get("time"))
        name = re.sub(r"^Bước\s*\d+\s*[:.]\s*", "", clean(step.get("step"))) or f"Bước {index + 1}"
        if time_text.lower().startswith("không tính"):
            days, counts = Decimal(0), False
        else:
            parsed = parse_days(time_text) if time_text else None
            days, counts = (parsed, True) if parsed is not None else (Decimal(0), True)
            if parsed is None:
                name += f" (thời gian theo quyết định: {time_text or 'không ghi'})"
        actor, role = actor_of(step.get("unit") or "", index, last, lead)
        out.append(
            {
                "stage": index + 1,
                "branch": "",
                "name": name,
                "actor": actor,
                "role": role,
                "days": dec(days),
                "counts_time": counts,
            }
        )
    total = sum(Decimal(step["days"]) for step in out if step["counts_time"])
    capacity = max(Decimal(limit["amount"]), Decimal(1)) if limit["unit"] == "d" else None
    if known and capacity is not None and total > capacity:
        report.add(
            "Tổng thời gian quy trình vượt thời hạn → bỏ quy trình",
            f"{label(row)}: {dec(total)} > {limit['amount']} ngày",
        )
        return []
    return out


def online_level_of(row: dict[str, Any], channels: list[str], report: Report) -> str:
    """The published level; a procedure that takes online filings is at least partly online."""
    level = ONLINE_LEVELS[row.get("online_level")]
    if level == "none" and "online" in channels:
        report.add("Nhận hồ sơ trực tuyến nhưng nguồn không ghi mức độ → một phần (partial)", label(row))
        return "partial"
    return level


def preferred(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Deterministic choice among rows of one code: with steps, then Hà Tĩnh, then file order."""
    return sorted(rows, key=lambda r: (not r.get("steps"), r["province"] != DEMO_PROVINCE, r["_line"]))[0]


def convert_row(row: dict[str, Any], levels: list[str], field: str, report: Report) -> dict[str, Any]:
    limit, known = time_limit_of(row, report)
    lead = lead_agency_of(row, field, levels)
    process = process_of(row, lead, limit, known, report)
    channels = sorted({CHANNELS[c] for c in row.get("channels") or []}, key=CHANNEL_ORDER.index)
    if not channels:
        channels = ["counter"]
        report.add("Nguồn không ghi cách thức nộp → mặc định nộp trực tiếp", label(row))
    cutoff = CUTOFFS.get(row.get("cutoff_rule") or "")
    if cutoff is None:
        cutoff = "online_17h" if "online" in channels else "none"
    deciding = [lead]
    # A process that goes through the provincial office ends with the provincial chairperson.
    if any(step["actor"] in ({"agency": "H42"}, {"agency": "H42.01"}) for step in process):
        deciding = [{"agency": "H42"}]
    effective = decision_date(row.get("decision") or "") or DEFAULT_EFFECTIVE_FROM
    return {
        "code": row["code"],
        "name": clean(row["name"]).rstrip("."),
        "field": field,
        "levels": levels,
        "version": {"effective_from": effective, "decision": decision_text(row), "change": "new"},
        "status": "published" if known else "draft",
        "lead_agency": lead,
        "deciding_agencies": deciding,
        "implementing_agencies": [lead],
        "implementing_text": "",
        "channels": channels,
        "time_limit": limit,
        "time_limits_by_channel": {},
        "second_time_limit": None,
        "cutoff_rule": cutoff,
        "supplement_rule": "restart",
        "online_level": online_level_of(row, channels, report),
        "received_at_centre": True,
        "where_if_not": "",
        "boundary_free": False,
        "on_the_spot": known and Decimal(limit["amount"]) == 0 and "counter" in channels,
        "fees": fees_of(row, report),
        "documents": [],
        "conditions": "",
        "result": "",
        "legal_basis": "",
        "applicant_steps": "",
        "process": process,
    }


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = number
            rows.append(row)
    return rows


def convert(rows: list[dict[str, Any]], exclude: set[str], report: Report) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        code = clean(row.get("code"))
        if not code or not CODE_RE.match(code) or not clean(row.get("name")):
            report.add("Bỏ qua: thiếu mã hoặc tên", label(row))
            continue
        if code in exclude:
            report.add("Bỏ qua: đã có bản biên soạn đầy đủ trong demo_procedures.json", label(row))
            continue
        groups[code].append(row)

    procedures = []
    for code in sorted(groups):
        group = groups[code]
        keep = preferred(group)
        if any(fold(r["name"]) != fold(keep["name"]) for r in group):
            # The sources disagree on what the code means: the demo province's own record wins.
            keep = preferred([r for r in group if r["province"] == DEMO_PROVINCE] or group)
        same = [r for r in group if fold(r["name"]) == fold(keep["name"])]
        for other in group:
            if other is keep:
                continue
            if other in same:
                report.add("Trùng mã, cùng thủ tục → gộp làm một", f"{label(other)} gộp vào {label(keep)}")
            else:
                report.add(
                    "Trùng mã, khác tên (nguồn mâu thuẫn) → giữ bản của Hà Tĩnh, bỏ bản kia",
                    f"{label(other)} (giữ: {label(keep)})",
                )
        levels = sorted({(r.get("level") or "tinh") for r in same}, key=["tinh", "huyen", "xa"].index)
        if any(not r.get("level") for r in same):
            report.add("Cấp thực hiện trống → cấp tỉnh", label(keep))
        field = None
        # A field published by any row of the code beats one inferred from the name.
        for candidate in sorted(same, key=lambda r: (not r.get("field"), r is not keep)):
            field = field_of(candidate, report)
            if field:
                break
        if field is None:
            report.add("Bỏ qua: không xác định được lĩnh vực", label(keep))
            continue
        procedures.append(convert_row(keep, levels, field, report))

    used = sorted({p["field"] for p in procedures})
    return {
        "format": FORMAT,
        "fields": [{"code": code, "name": FIELD_NAMES[code]} for code in used],
        "procedures": procedures,
    }


def demo_codes(path: Path) -> set[str]:
    if not path.exists():
        return set()
    document = json.loads(path.read_text(encoding="utf-8"))
    return {p["code"] for p in document.get("procedures", [])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="procedures-sample.jsonl")
    parser.add_argument("output", type=Path, help="the motcua-catalog/1 document to write")
    parser.add_argument(
        "--exclude-from",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "motcua/catalog/data/demo_procedures.json",
        help="skip codes already written by hand in this document (default: demo_procedures.json)",
    )
    parser.add_argument("--report", action="store_true", help="print what the rules did, by record")
    args = parser.parse_args(argv)

    report = Report()
    document = convert(load(args.source), demo_codes(args.exclude_from), report)
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    if args.report:
        sys.stdout.write(report.render())
    sys.stderr.write(
        f"{len(document['procedures'])} procedures, {len(document['fields'])} fields → {args.output}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
