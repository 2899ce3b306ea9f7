"""The hall's part of the demo: three windows with their business types, time slots for today
and the coming working days, a few bookings of the demo clerk's cases (one checked in and
waiting, one served), ratings and one bad review with its open rectification."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from waiban.core.calendar import WorkingCalendar
from waiban.hall import queue, ratings
from waiban.hall.booking import NOT_BOOKABLE, booking_check_in, booking_create
from waiban.hall.models import (
    BusinessType,
    ServiceFile,
    ServiceItem,
    TimeSlot,
    TravelAdvisory,
    Window,
)
from waiban.visits.models import Delegation

WINDOWS = [
    ("A", "因公出国（境）审批", [("因公出国任务受理", "official-visit")]),
    ("B", "证照与签证", [("护照办理与交还", "passport"), ("签证代办", "visa")]),
    (
        "C",
        "认证与综合",
        [("领事认证与附加证明书", "legalisation"), ("APEC商务旅行卡", "apec-card")],
    ),
]
SLOT_TIMES = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (14, 0), (14, 30), (15, 0), (15, 30)]
TEMPLATE_TEXT = "（示例模板）请按本办办事指南的要求填写，加盖单位公章。\n"


def _slots_for(kind, day, capacity=3):
    TimeSlot.objects.bulk_create(
        TimeSlot(
            business_type=kind,
            day=day,
            starts=dt.time(h, m),
            ends=(dt.datetime.combine(day, dt.time(h, m)) + dt.timedelta(minutes=30)).time(),
            capacity=capacity,
        )
        for h, m in SLOT_TIMES
    )


def _sample_files():
    for code, title in [
        ("official-visit", "因公出国（境）任务申请表（模板）"),
        ("legalisation", "领事认证申请表（模板）"),
        ("apec-card", "APEC商务旅行卡申请表（模板）"),
    ]:
        item = ServiceItem.objects.filter(code=code).first()
        if item is None or item.files.exists():
            continue
        file = ServiceFile(item=item, title=title)
        file.file.save(f"{code}-template.txt", ContentFile(TEMPLATE_TEXT.encode()), save=True)


def _advisories(today):
    for country, level, title in [
        ("DE", "caution", "近期多地交通行业罢工，请预留出行时间并关注航班变动。"),
        ("FR", "notice", "大型活动期间部分城市加强安检，请随身携带护照。"),
    ]:
        TravelAdvisory.objects.create(
            country=country,
            level=level,
            title=title,
            source="外交部领事服务网（演示数据）",
            valid_from=today - dt.timedelta(days=10),
            valid_to=today + dt.timedelta(days=60),
        )


def create_demo_hall(org) -> None:
    authority = org.province
    clerk, window_clerk = org.accounts["clerk"], org.accounts["window"]
    reviewer = org.accounts["reviewer"]
    _sample_files()
    today = timezone.localdate()
    _advisories(today)
    calendar = WorkingCalendar()
    days = [today]  # today too, whatever the day, so that check-in can be tried at once
    day = today
    while len(days) < 8:
        day = calendar.add_working_days(day, 1)
        days.append(day)
    kinds = {}
    for letter, name, business in WINDOWS:
        window = Window.objects.create(authority=authority, letter=letter, name=name)
        for kind_name, code in business:
            kind = BusinessType.objects.create(
                window=window,
                name=kind_name,
                service_item=ServiceItem.objects.filter(code=code).first(),
            )
            kinds[code] = kind
            for slot_day in days:
                _slots_for(kind, slot_day)
    cases = list(
        Delegation.objects.filter(unit_id=clerk.unit_id, authority=authority)
        .exclude(state__in=NOT_BOOKABLE)
        .order_by("pk")[:5]
    )
    if len(cases) < 4:
        return
    today_slots = list(
        TimeSlot.objects.filter(business_type=kinds["official-visit"], day=today).order_by("starts")
    )
    served = booking_create(actor=clerk, delegation=cases[0], slot_id=today_slots[0].pk)
    waiting = booking_create(actor=clerk, delegation=cases[1], slot_id=today_slots[1].pk)
    booking_create(actor=clerk, delegation=cases[2], slot_id=today_slots[2].pk)  # to check in
    later = TimeSlot.objects.filter(business_type=kinds["passport"], day=days[2]).first()
    booking_create(actor=clerk, delegation=cases[3], slot_id=later.pk)  # to change or cancel
    ticket = booking_check_in(actor=window_clerk, code=served.code)
    booking_check_in(actor=None, token=waiting.token)
    queue.ticket_call_next(actor=window_clerk, window_id=ticket.window_id)
    queue.ticket_finish(actor=window_clerk, ticket_id=ticket.pk)
    # The window visit was rated 2 of 5: a bad review, its rectification open for the office.
    ratings.rating_for_visit(
        token=served.token, level=2, efficiency="2", comment="排队等候时间较长，材料清单不够清楚。"
    )
    ratings.rating_for_case(actor=clerk, delegation=cases[1], level=5, attitude="5")
    other_clerk = org.accounts["clerk2"]
    other_case = (
        Delegation.objects.filter(unit_id=other_clerk.unit_id, authority=authority)
        .exclude(state__in=NOT_BOOKABLE)
        .first()
    )
    if other_case is None:  # the second clerk's unit is elsewhere: another of the first's
        other_case, other_clerk = cases[2], clerk
    if other_case is not None:
        rating = ratings.rating_for_case(actor=other_clerk, delegation=other_case, level=1)
        ratings.rectification_answer(
            actor=reviewer,
            rectification_id=rating.rectification.pk,
            answer="已核实：预审意见未一次性告知全部问题。已对窗口人员进行培训，并电话致歉。",
        )
