"""After the trip in the demo: the actual itinerary and the trip report of a case back home or
closed, through the services of waiban.reports on the simulated clock, as far as a stage
(itinerary entered, report drafted, submitted, accepted and published or kept internal)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from waiban.demo.clock import clock_at, office_time
from waiban.demo.trips import country_name
from waiban.reports import services
from waiban.reports.disclosure import disclosure_record

STAGES = ("itinerary", "draft", "submitted", "accepted")
PLACES = ("单位公示栏", "单位内网公告栏", "机关办公楼一楼公示栏")

ACTIVITIES = (
    "在{city}拜会{host}，就产业合作举行工作会谈，参观当地创新园区和重点企业。",
    "在{city}出席{host}组织的专题研讨会，介绍我省营商环境，与当地商协会座谈。",
    "在{city}考察职业教育和科研机构，与{host}商定下一步交流计划。",
)
COUNTERPARTS = (
    "{host} 国际合作部主任；当地商会会长；中资企业代表",
    "{host} 副主席；市政府经济发展局局长",
)
# Most reports say more than the data cage's "too thin" threshold; about one in four does not.
DETAIL = (
    "访问期间，代表团围绕双方共同关心的产业合作、人才交流和项目对接等议题深入交换意见，"
    "逐项梳理了前期合作项目的进展情况，明确了下一阶段的重点任务、责任单位和时间安排。"
    "代表团还实地考察了当地的产业园区、科研院所和职业院校，学习借鉴其在园区管理、"
    "成果转化和校企合作方面的经验做法，收集整理相关资料二十余份，"
    "为我省相关工作提供了有益参考。全体团员严格遵守外事纪律和中央八项规定精神，"
    "未发生擅自延长停留时间、变更行程或参加与公务无关活动的情况。"
)
RESULTS = (
    "双方签署合作备忘录一份，商定年内互派专家组，建立定期联络机制。",
    "达成人才培养合作意向三项，对方同意来我省考察，推动设立联络处。",
    "了解对方在绿色能源和数字经济方面的做法，形成考察建议报告一份。",
)


def _stops(delegation, *, extra_day: bool) -> list[dict]:
    stops = [
        {
            "country": str(s.country),
            "city": s.city,
            "arrival_date": s.arrival_date,
            "departure_date": s.departure_date,
            "is_transit": s.is_transit,
            "is_airside": s.is_airside,
        }
        for s in delegation.stops.all()
    ]
    if extra_day and stops:  # the flight home a day later than approved
        stops[-1]["departure_date"] += dt.timedelta(days=1)
    return stops


def _report(delegation, rng, stops, *, internal: bool) -> dict:
    host = delegation.inviting_organisation or "对口单位"
    budget = sum((b.amount for b in delegation.budget_lines.all()), Decimal(0))
    return {
        "title": f"{delegation.title}出访报告",
        "purpose": delegation.purpose,
        "activities": [
            {
                "country": s["country"],
                "city": s["city"],
                "text": rng.choice(ACTIVITIES).format(city=s["city"], host=host),
            }
            for s in stops
            if not (s["is_transit"] and s["is_airside"])
        ],
        "counterparts": rng.choice(COUNTERPARTS).format(host=host),
        "results": rng.choice(RESULTS)
        + f"访问{'、'.join(dict.fromkeys(country_name(s['country']) for s in stops))}期间各项活动按计划完成。"
        + (DETAIL if rng.random() < 0.75 else ""),
        "follow_up": "三个月内向对方提交合作方案，年底前安排回访。",
        "actual_cost": (budget * Decimal("0.93")).quantize(Decimal("1")) if budget else None,
        "cost_note": "实际支出在批准预算之内。" if budget else "",
        "internal_requested": internal,
        "internal_reason": "涉及尚未公开的合作谈判内容" if internal else "",
    }


def disclose(delegation, *, clerk, kind, day: dt.date, rng) -> dt.datetime:
    """The clerk records the posting of a public notice on ``day`` (office hours)."""
    moment = min(office_time(day, rng), timezone.now() - dt.timedelta(minutes=30))
    with clock_at(moment):
        disclosure_record(
            delegation=delegation,
            actor=clerk,
            kind=kind,
            posted_on=timezone.localdate(),
            place=rng.choice(PLACES),
        )
    return moment


def write_up(
    delegation, *, clerk, reviewer, upto, start: dt.datetime, rng, extra_day=False, internal=False
):
    """Walk the case's after-trip work up to ``upto`` (one of STAGES), one step every hour or
    so from ``start`` (never later than now). Returns the moment of the last step."""
    now = timezone.now()
    moment = min(start, now - dt.timedelta(hours=len(STAGES) + 1))
    stops = _stops(delegation, extra_day=extra_day)
    on = timezone.localtime(moment).date()
    for stop in stops:  # nobody enters a day not yet travelled (came back only yesterday)
        stop["departure_date"] = max(min(stop["departure_date"], on), stop["arrival_date"])
    steps = STAGES[: STAGES.index(upto) + 1]
    report = None
    for stage in steps:
        with clock_at(moment):
            if stage == "itinerary":
                services.actual_itinerary_save(delegation=delegation, actor=clerk, stops=stops)
            elif stage == "draft":
                data = _report(delegation, rng, stops, internal=internal)
                report = services.report_save(delegation=delegation, actor=clerk, data=data)
            elif stage == "submitted":
                report = services.report_submit(report=report, actor=clerk)
            else:
                report = services.report_accept(report=report, actor=reviewer, publish=not internal)
        moment += dt.timedelta(minutes=rng.randint(40, 90))
    return moment
