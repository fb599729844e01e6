"""Deterministic demo data for Jeju (제주특별자치도): institutions and the resources they offer.

`build_demo_dataset` returns about 76 institutions (every 읍면동 office plus city halls,
health centres, welfare centres, NGOs and hospitals) and about 500 resources. The output
depends only on the seed; need and region codes are read from ``graph/seed`` at call time.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DemoDataset", "build_demo_dataset"]

_SEED_DIR = Path(__file__).resolve().parent.parent / "graph" / "seed"
_PROVINCE = "제주특별자치도"

# Bounding box every generated coordinate is kept inside.
_LAT_RANGE = (33.11, 33.99)
_LON_RANGE = (126.11, 126.99)


@dataclass(frozen=True)
class DemoDataset:
    """Institutions and resources in the dict shapes the graph loaders take."""

    institutions: list[dict[str, Any]]
    resources: list[dict[str, Any]]


# --------------------------------------------------------------------------- institutions

# Two plausible road names per 읍면동 (for addresses only; numbers are invented).
_ROADS: dict[str, tuple[str, ...]] = {
    "한림읍": ("한림로", "한림상로"),
    "애월읍": ("애월로", "애월해안로"),
    "구좌읍": ("구좌로", "해맞이해안로"),
    "조천읍": ("신북로", "조함해안로"),
    "한경면": ("한경로", "일주서로"),
    "추자면": ("추자로",),
    "우도면": ("우도해안길",),
    "일도1동": ("칠성로길", "동문로"),
    "일도2동": ("동광로", "신산로"),
    "이도1동": ("중앙로", "남성로"),
    "이도2동": ("광양9길", "연삼로"),
    "삼도1동": ("서사로", "전농로"),
    "삼도2동": ("관덕로", "탑동로"),
    "용담1동": ("용문로", "서문로"),
    "용담2동": ("서해안로", "용담로"),
    "건입동": ("임항로", "사라봉동길"),
    "화북동": ("진남로", "일주동로"),
    "삼양동": ("선사로", "일주동로"),
    "봉개동": ("명림로", "번영로"),
    "아라동": ("아란로", "제주대학로"),
    "오라동": ("오라로", "연북로"),
    "연동": ("신대로", "신광로"),
    "노형동": ("노형로", "월랑로"),
    "외도동": ("우정로", "일주서로"),
    "이호동": ("이호일동길", "일주서로"),
    "도두동": ("도령로", "도공로"),
    "대정읍": ("하모로", "최남단해안로"),
    "남원읍": ("태위로", "남조로"),
    "성산읍": ("일출로", "서성일로"),
    "안덕면": ("화순로", "한창로"),
    "표선면": ("표선당포로", "표선동서로"),
    "송산동": ("칠십리로",),
    "정방동": ("중정로", "칠십리로"),
    "중앙동": ("중앙로", "중정로"),
    "천지동": ("천지로", "남성중로"),
    "효돈동": ("효돈로", "일주동로"),
    "영천동": ("516로",),
    "동홍동": ("동홍로", "중산간동로"),
    "서홍동": ("서홍로", "516로"),
    "대륜동": ("일주서로", "이어도로"),
    "대천동": ("이어도로", "월드컵로"),
    "중문동": ("중문관광로", "천제연로"),
    "예래동": ("예래로", "일주서로"),
}

# (kind, sector, name, nameEn, 읍면동 name, e-mail slug); community centres are added per 읍면동.
# fmt: off
_INSTITUTIONS: tuple[tuple[str, str, str, str | None, str, str], ...] = (
    ("CITY_HALL", "PUBLIC", "제주시청 주민복지과", "Jeju City Hall Resident Welfare Division",
     "이도2동", "jejusi-welfare"),
    ("CITY_HALL", "PUBLIC", "서귀포시청 주민복지과",
     "Seogwipo City Hall Resident Welfare Division", "중앙동", "seogwipo-welfare"),
    ("HEALTH_CENTER", "PUBLIC", "제주보건소", "Jeju Public Health Center", "이도2동",
     "jeju-health"),
    ("HEALTH_CENTER", "PUBLIC", "서귀포보건소", "Seogwipo Public Health Center", "동홍동",
     "seogwipo-health"),
    ("HEALTH_CENTER", "PUBLIC", "동부보건소", "Eastern Public Health Center", "조천읍",
     "east-health"),
    ("HEALTH_CENTER", "PUBLIC", "서부보건소", "Western Public Health Center", "한림읍",
     "west-health"),
    ("WELFARE_CENTER", "PRIVATE", "제주종합사회복지관", "Jeju Community Welfare Center",
     "일도1동", "jejuwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "이도종합사회복지관", "Ido Community Welfare Center",
     "이도2동", "idowelfare"),
    ("WELFARE_CENTER", "PRIVATE", "한라종합사회복지관", "Halla Community Welfare Center",
     "연동", "hallawelfare"),
    ("WELFARE_CENTER", "PRIVATE", "화북종합사회복지관", "Hwabuk Community Welfare Center",
     "화북동", "hwabukwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "한림종합사회복지관", "Hallim Community Welfare Center",
     "한림읍", "hallimwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "구좌종합사회복지관", "Gujwa Community Welfare Center",
     "구좌읍", "gujwawelfare"),
    ("WELFARE_CENTER", "PRIVATE", "서귀포종합사회복지관", "Seogwipo Community Welfare Center",
     "동홍동", "sgpwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "동부종합사회복지관", "Dongbu Community Welfare Center",
     "남원읍", "dongbuwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "서부종합사회복지관", "Seobu Community Welfare Center",
     "대정읍", "seobuwelfare"),
    ("WELFARE_CENTER", "PRIVATE", "중문종합사회복지관", "Jungmun Community Welfare Center",
     "중문동", "jungmunwelfare"),
    ("SENIOR_WELFARE_CENTER", "PRIVATE", "제주시노인복지관", "Jeju-si Senior Welfare Center",
     "일도2동", "jejusenior"),
    ("SENIOR_WELFARE_CENTER", "PRIVATE", "제주시서부노인복지관",
     "Jeju-si Western Senior Welfare Center", "애월읍", "westsenior"),
    ("SENIOR_WELFARE_CENTER", "PRIVATE", "서귀포시노인복지관",
     "Seogwipo-si Senior Welfare Center", "서홍동", "sgpsenior"),
    ("DISABILITY_WELFARE_CENTER", "PRIVATE", "제주시장애인종합복지관",
     "Jeju-si Welfare Center for People with Disabilities", "아라동", "jejudisability"),
    ("DISABILITY_WELFARE_CENTER", "PRIVATE", "서귀포시장애인종합복지관",
     "Seogwipo-si Welfare Center for People with Disabilities", "대륜동", "sgpdisability"),
    ("CHILD_CENTER", "PRIVATE", "화북해바라기지역아동센터", "Hwabuk Sunflower Child Center",
     "화북동", "hb-sunflower"),
    ("CHILD_CENTER", "PRIVATE", "삼양꿈나무지역아동센터", None, "삼양동", "samyang-kids"),
    ("CHILD_CENTER", "PRIVATE", "애월희망지역아동센터", "Aewol Hope Child Center", "애월읍",
     "aewol-hope"),
    ("CHILD_CENTER", "PRIVATE", "대정행복지역아동센터", None, "대정읍", "daejeong-kids"),
    ("CHILD_CENTER", "PRIVATE", "효돈새싹지역아동센터", None, "효돈동", "hyodon-sprout"),
    ("SELF_SUFFICIENCY_CENTER", "PRIVATE", "제주지역자활센터", "Jeju Self-Sufficiency Center",
     "용담1동", "jejujahwal"),
    ("SELF_SUFFICIENCY_CENTER", "PRIVATE", "서귀포지역자활센터",
     "Seogwipo Self-Sufficiency Center", "천지동", "sgpjahwal"),
    ("NGO", "PRIVATE", "제주광역푸드뱅크", "Jeju Regional Food Bank", "용담2동", "foodbank"),
    ("NGO", "PRIVATE", "제주특별자치도자원봉사센터", "Jeju Volunteer Center", "연동",
     "volunteer"),
    ("NGO", "PRIVATE", "대한적십자사 제주특별자치도지사", "Korean Red Cross Jeju Branch",
     "삼도1동", "redcross-jeju"),
    ("HOSPITAL", "PUBLIC", "제주의료원", "Jeju Medical Center", "아라동", "jejumc"),
    ("HOSPITAL", "PRIVATE", "제주한마음병원", "Jeju Hanmaeum Hospital", "연동", "hanmaeum"),
)
# fmt: on

# How many resources each kind of institution offers (plus 0 or 1 at random).
_RESOURCES_PER_KIND: dict[str, int] = {
    "COMMUNITY_CENTER": 5,
    "CITY_HALL": 12,
    "HEALTH_CENTER": 8,
    "WELFARE_CENTER": 10,
    "SENIOR_WELFARE_CENTER": 8,
    "DISABILITY_WELFARE_CENTER": 7,
    "CHILD_CENTER": 5,
    "SELF_SUFFICIENCY_CENTER": 6,
    "NGO": 8,
    "HOSPITAL": 5,
}

_KIND_CODES: dict[str, str] = {
    "COMMUNITY_CENTER": "CC",
    "CITY_HALL": "CH",
    "HEALTH_CENTER": "HC",
    "WELFARE_CENTER": "WC",
    "SENIOR_WELFARE_CENTER": "SC",
    "DISABILITY_WELFARE_CENTER": "DC",
    "CHILD_CENTER": "KC",
    "SELF_SUFFICIENCY_CENTER": "SS",
    "NGO": "NGO",
    "HOSPITAL": "HO",
}

_SURNAMES = ("김", "이", "박", "고", "양", "부", "강", "현", "오", "문", "좌", "정", "한", "송")
_GIVEN = (
    "민지", "서연", "지훈", "현우", "수빈", "지영", "은정", "성민", "혜진", "동현",
    "미경", "영호", "수정", "태희", "정훈", "윤서", "하은", "보람", "경민", "소희",
)  # fmt: skip
_TITLES: dict[str, tuple[str, ...]] = {
    "COMMUNITY_CENTER": ("주무관", "사회복지주무관", "맞춤형복지팀장", "마을복지플래너"),
    "CITY_HALL": ("주무관", "사회복지주무관", "팀장", "통합사례관리사"),
    "HEALTH_CENTER": ("간호주무관", "방문간호사", "정신건강전문요원", "팀장"),
    "HOSPITAL": ("의료사회복지사", "간호사", "팀장"),
    "CHILD_CENTER": ("센터장", "생활복지사", "사회복지사"),
    "SELF_SUFFICIENCY_CENTER": ("실장", "사회복지사", "팀장"),
}
_PRIVATE_TITLES = ("사회복지사", "팀장", "과장", "상담사", "사례관리팀장")


# ------------------------------------------------------------------------------ resources


@dataclass(frozen=True)
class _Elig:
    """Choices for each eligibility field; one option of each is drawn per resource."""

    min_age: tuple[int | None, ...] = (None,)
    max_age: tuple[int | None, ...] = (None,)
    income: tuple[int | None, ...] = (None,)
    households: tuple[tuple[str, ...], ...] = ((),)
    disability: bool = False
    notes: tuple[str | None, ...] = (None,)


@dataclass(frozen=True)
class _Tpl:
    """A kind of resource: who offers it, which needs it meets, and how it is described."""

    kind: str
    providers: str  # space-separated codes from _KIND_CODES
    needs: str  # space-separated need codes, the first always used
    names: tuple[str, ...]
    texts: tuple[str, ...]  # first sentence; "{area}" is replaced by the served area
    details: tuple[str, ...]
    name_en: str
    text_en: str
    elig: _Elig = _Elig()
    cap: tuple[int, int] | None = None  # None: no fixed capacity
    schedules: tuple[str | None, ...] = ("평일 09:00-18:00",)
    en_rate: float = 0.08
    family: bool = False  # serves carers or families rather than the person themselves


_WEEKDAYS = ("평일 09:00-18:00",)
_LOW_INCOME = (50, 60, None)
_ELDER_HOMES = (
    (),
    ("SINGLE_ELDERLY",),
    ("DISABLED_MEMBER",),
    ("SINGLE_ELDERLY", "DISABLED_MEMBER"),
)
_CHILD_HOMES = (
    (),
    ("SINGLE_PARENT",),
    ("SINGLE_PARENT", "GRANDPARENT_HEADED"),
    ("SINGLE_PARENT", "GRANDPARENT_HEADED", "MULTICULTURAL"),
)

# fmt: off
_TEMPLATES: tuple[_Tpl, ...] = (
    # ---- 일상생활유지 (daily living)
    _Tpl(
        "SERVICE", "WC SC NGO CC", "DAILY_LIVING_MEALS SOCIAL_ISOLATION HEALTH_CHRONIC_DISEASE",
        ("독거어르신 도시락 배달", "어르신 도시락 배달 서비스", "결식 우려 어르신 도시락 배달"),
        ("{area} 관내 거동이 불편한 독거어르신 댁으로 점심 도시락 배달을 해 드립니다.",
         "결식 우려가 있는 홀로 사는 어르신께 영양 도시락을 배달하고 안부를 살핍니다."),
        ("자원봉사자가 주 3회 방문해 도시락을 전달하며 건강 상태를 확인합니다.",
         "당뇨·고혈압이 있는 어르신은 저염식 도시락을 선택할 수 있습니다."),
        "Lunch box delivery for older adults living alone",
        "Volunteers deliver a lunch box to older adults living alone and check on them.",
        _Elig(min_age=(65,), income=(None, 50, 75), households=(("SINGLE_ELDERLY",),),
              notes=(None, "거동 불편 어르신 우선 배정")),
        (15, 80), ("평일 11:00-13:00", "매주 월·수·금 11:00-12:30", "매주 화·목 11:00-13:00"),
    ),
    _Tpl(
        "GOODS", "WC CC NGO SC", "DAILY_LIVING_MEALS DAILY_LIVING_NECESSITIES SOCIAL_ISOLATION",
        ("밑반찬 나눔", "사랑의 밑반찬 나눔", "주 1회 밑반찬 배달"),
        ("혼자 식사를 챙기기 어려운 저소득 가구에 매주 밑반찬을 만들어 나눕니다.",
         "지역 부녀회와 함께 만든 밑반찬을 {area} 취약가구에 전달합니다."),
        ("김치와 나물 등 3~4가지 반찬으로 구성됩니다.",
         "배달이 어려운 경우 기관에서 직접 받아 가실 수 있습니다."),
        "Weekly side dish sharing",
        "Home-made side dishes are delivered every week to low-income households.",
        _Elig(income=_LOW_INCOME,
              households=((), ("SINGLE_ELDERLY",), ("SINGLE_ELDERLY", "DISABLED_MEMBER"),
                          ("GRANDPARENT_HEADED",))),
        (20, 100), ("매주 목 14:00-16:00", "격주 화 10:00-12:00", "매주 금 10:00-12:00"),
    ),
    _Tpl(
        "FACILITY", "SC WC", "DAILY_LIVING_MEALS SOCIAL_ISOLATION",
        ("무료 경로식당", "어르신 무료 점심 급식"),
        ("어르신께 영양을 고려한 점심 식사를 무료로 제공하는 경로식당입니다.",
         "식사와 함께 말벗과 건강 체크를 제공하는 어르신 무료 급식소입니다."),
        ("거동이 불편한 분은 도시락으로 대신 받으실 수 있습니다.",
         "매월 식단표는 기관 게시판과 누리집에 안내합니다."),
        "Free lunch canteen for older adults",
        "A free, balanced lunch is served to older adults on weekdays.",
        _Elig(min_age=(60, 65), income=(None, 50)),
        (50, 150), ("평일 11:30-13:00",),
    ),
    _Tpl(
        "GOODS", "NGO CC WC", "DAILY_LIVING_NECESSITIES DAILY_LIVING_MEALS ECONOMY_LIVING_COSTS",
        ("푸드뱅크 기부식품 지원", "푸드마켓 이용 지원", "기부식품·생필품 꾸러미 지원"),
        ("기업과 개인이 기부한 식품과 생필품을 저소득 가구에 나눕니다.",
         "푸드마켓에서 월 1회 필요한 식품과 생필품을 직접 골라 가실 수 있습니다."),
        ("주민센터 추천을 받아 이용 등록을 하신 뒤 이용할 수 있습니다.",
         "한 번에 5개 품목까지 고를 수 있습니다."),
        "Food bank groceries and essentials",
        "Donated food and daily essentials are shared with low-income households.",
        _Elig(income=(50, 60, 75),
              households=((), ("GENERAL",), ("SINGLE_PARENT", "GRANDPARENT_HEADED")),
              notes=(None, "주민센터 추천서 필요")),
        (30, 200), ("매월 둘째 주 수 10:00-15:00", "평일 09:00-18:00", "매주 화·금 13:00-17:00"),
    ),
    _Tpl(
        "SERVICE", "WC SS CH",
        "DAILY_LIVING_HOUSEWORK DAILY_LIVING_PERSONAL_CARE FAMILY_CARE_BURDEN",
        ("가사·간병 방문 지원", "재가 가사지원 서비스"),
        ("일상생활이 어려운 저소득 가구에 요양보호사가 방문해 가사와 간병을 돕습니다.",),
        ("월 24시간 또는 27시간 바우처로 제공됩니다.",
         "식사 준비, 청소, 세탁, 병원 동행을 포함합니다."),
        "Home help and care visits",
        "Care workers visit low-income households to help with housework and personal care.",
        _Elig(min_age=(None, 65), income=(70,),
              households=((), ("SINGLE_ELDERLY",), ("DISABLED_MEMBER",))),
        (10, 60), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "DC SC WC CC NGO", "DAILY_LIVING_MOBILITY DAILY_LIVING HEALTH_REHABILITATION",
        ("이동 지원(차량)", "병원 동행 및 차량 이동 지원", "교통약자 차량 지원"),
        ("대중교통 이용이 어려운 어르신과 장애인에게 병원·관공서 이동 차량을 지원합니다.",
         "휠체어 탑승 차량으로 병원 진료와 외출을 돕습니다."),
        ("이용 3일 전까지 전화로 예약해 주세요.", "동행 도우미가 함께 탑승합니다."),
        "Transport support (vehicle)",
        "Older adults and people with disabilities get a ride to hospitals and public offices.",
        _Elig(min_age=(None, 65), households=_ELDER_HOMES[:3]),
        (10, 60), ("평일 09:00-17:00", "매주 화·목 09:00-16:00"),
    ),
    _Tpl(
        "GOODS", "WC NGO CC", "DAILY_LIVING_NECESSITIES ECONOMY_LIVING_COSTS",
        ("생활용품 꾸러미 지원", "후원물품 나눔"),
        ("후원받은 생활용품(세제, 휴지, 위생용품 등)을 꾸러미로 만들어 전달합니다.",),
        ("명절 전후에 집중적으로 나눠 드립니다.",
         "물품 구성은 후원 상황에 따라 달라질 수 있습니다."),
        "Household essentials package",
        "Donated essentials such as detergent, tissues and hygiene products are delivered.",
        _Elig(income=_LOW_INCOME),
        (20, 150), ("매월 마지막 주 금 14:00-17:00", None),
    ),
    _Tpl(
        "SERVICE", "DC", "DAILY_LIVING_PERSONAL_CARE DAILY_LIVING_HOUSEWORK DAILY_LIVING_MOBILITY",
        ("장애인 활동지원 서비스", "활동지원사 방문 서비스"),
        ("활동지원사가 가정을 방문해 신변처리, 가사, 외출을 돕습니다.",),
        ("서비스 시간은 종합조사 결과에 따라 정해집니다.",
         "야간·주말 이용 시 사전에 조율합니다."),
        "Personal assistance for people with disabilities",
        "Personal assistants visit homes to help with personal care, housework and going out.",
        _Elig(min_age=(6,), max_age=(64,), disability=True, households=(("DISABLED_MEMBER",),)),
        (20, 80), ("평일 09:00-18:00", "연중무휴 07:00-22:00"),
    ),
    # ---- 건강 (health)
    _Tpl(
        "SERVICE", "HC HO",
        "HEALTH_HOME_NURSING HEALTH_CHRONIC_DISEASE DAILY_LIVING_PERSONAL_CARE",
        ("방문 간호 서비스", "맞춤형 방문건강관리", "거동불편 어르신 방문 간호"),
        ("간호사가 가정을 방문해 혈압·혈당 측정, 투약 관리, 건강 상담을 제공합니다.",
         "병원에 다니기 어려운 재가 대상자에게 방문 간호 서비스를 제공합니다."),
        ("필요하면 보건소 만성질환 관리 프로그램과 연계합니다.",
         "욕창 관리와 상처 소독도 지원합니다."),
        "Home nursing visits",
        "Nurses visit homes to check blood pressure and sugar, manage medicines and advise.",
        _Elig(min_age=(None, 65), income=(None, 100), households=_ELDER_HOMES),
        (30, 120), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "HC HO", "HEALTH_CHRONIC_DISEASE HEALTH",
        ("고혈압·당뇨 관리 교실", "만성질환 자기관리 교실"),
        ("고혈압·당뇨가 있는 주민에게 식이·운동 교육과 혈압·혈당 측정을 제공합니다.",),
        ("8주 과정으로 운영하며 수료하면 개인 건강수첩을 드립니다.",
         "영양사와 운동처방사가 함께 참여합니다."),
        "Hypertension and diabetes self-care class",
        "Diet and exercise education with regular blood pressure and glucose checks.",
        _Elig(min_age=(None, 30, 40)),
        (15, 40), ("매주 수 14:00-16:00", "매주 화·목 10:00-12:00"),
    ),
    _Tpl(
        "SERVICE", "HC WC HO", "HEALTH_MENTAL SAFETY_SUICIDE_RISK SOCIAL_RELATIONSHIPS",
        ("정신건강 상담", "마음건강 심리상담", "우울·불안 무료 심리상담"),
        ("우울, 불안, 스트레스 등으로 어려움을 겪는 주민에게 전문 상담을 제공합니다.",
         "정신건강전문요원이 1:1 심리상담과 필요 시 치료기관 연계를 지원합니다."),
        ("상담 내용은 비밀이 보장됩니다.",
         "위기 시 정신건강위기상담전화 1577-0199로 24시간 상담할 수 있습니다."),
        "Free mental health counselling",
        "Trained counsellors offer one-to-one support for depression, anxiety and stress.",
        _Elig(min_age=(None, 19)),
        (10, 60), ("평일 09:00-18:00", "평일 09:00-21:00"),
    ),
    _Tpl(
        "SERVICE", "HC", "SAFETY_SUICIDE_RISK HEALTH_MENTAL SOCIAL_ISOLATION",
        ("자살 고위험군 사례관리", "생명지킴이 위기 개입 지원"),
        ("자살 시도자와 고위험군을 찾아 지속적인 상담과 안부 확인을 제공합니다.",),
        ("응급실에 온 자살시도자는 병원과 연계해 사후관리를 합니다.",
         "유가족 자조모임도 함께 운영합니다."),
        "Suicide risk case management",
        "People at high risk of suicide receive ongoing counselling and regular check-ins.",
        _Elig(notes=(None, "본인 동의 필요")),
        (10, 50), ("평일 09:00-18:00", "24시간 위기상담"),
    ),
    _Tpl(
        "SERVICE", "HC HO", "HEALTH_ADDICTION HEALTH_MENTAL FAMILY_CONFLICT",
        ("알코올 중독 상담", "중독 회복 지원 프로그램"),
        ("알코올·도박 등 중독 문제가 있는 본인과 가족에게 상담과 치료 연계를 제공합니다.",),
        ("회복자 자조모임이 매주 열립니다.", "가족 교육 프로그램을 함께 운영합니다."),
        "Addiction recovery counselling",
        "Counselling and treatment referral for people with alcohol or gambling problems.",
        _Elig(min_age=(19,)),
        (10, 40), ("평일 09:00-18:00", "매주 목 19:00-21:00"),
    ),
    _Tpl(
        "BENEFIT", "CH HO NGO", "HEALTH_MEDICAL_EXPENSES ECONOMY_LIVING_COSTS",
        ("저소득층 의료비 지원", "재난적 의료비 지원", "긴급 의료비 지원"),
        ("과도한 의료비로 생계가 어려운 가구에 본인부담 의료비 일부를 지원합니다.",
         "중증 질환 치료로 의료비 부담이 큰 저소득 가구를 돕습니다."),
        ("진료비 영수증과 소득 증빙 서류가 필요합니다.", "1인당 연간 지원 한도가 있습니다."),
        "Medical expense support",
        "Part of out-of-pocket medical costs is covered for low-income households.",
        _Elig(income=(50, 75, 100)),
        None, ("평일 09:00-18:00", None),
    ),
    _Tpl(
        "SERVICE", "DC HO HC", "HEALTH_REHABILITATION HEALTH DAILY_LIVING_MOBILITY",
        ("재활치료 프로그램", "지역사회 중심 재활", "물리·작업치료 지원"),
        ("물리치료사와 작업치료사가 개인별 재활 목표에 맞춘 치료를 제공합니다.",
         "퇴원 뒤 일상 복귀를 돕는 지역사회 재활 프로그램입니다."),
        ("가정 방문 재활도 가능합니다.", "보조기기 사용 훈련을 함께 진행합니다."),
        "Rehabilitation therapy",
        "Physical and occupational therapists provide individual rehabilitation programmes.",
        _Elig(disability=True, households=(("DISABLED_MEMBER",),)),
        (10, 40), ("평일 09:00-17:00", "매주 월·수·금 10:00-12:00"),
    ),
    _Tpl(
        "GOODS", "DC HC", "DAILY_LIVING_MOBILITY HEALTH_REHABILITATION DAILY_LIVING_PERSONAL_CARE",
        ("보조기기 대여", "휠체어·보행기 무료 대여"),
        ("휠체어, 보행기, 목욕의자 등 보조기기를 무료로 빌려 드립니다.",),
        ("대여 기간은 최대 3개월이며 연장할 수 있습니다.",
         "보조기기 점검과 간단한 수리도 해 드립니다."),
        "Assistive device loans",
        "Wheelchairs, walkers and bath chairs are lent free of charge.",
        _Elig(households=((), ("DISABLED_MEMBER",))),
        (20, 80), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "HO",
        "HEALTH_HOME_NURSING DAILY_LIVING_PERSONAL_CARE HEALTH_CHRONIC_DISEASE",
        ("퇴원환자 지역사회 연계", "퇴원 후 돌봄 연계 서비스"),
        ("의료사회복지사가 퇴원 예정 환자의 돌봄 욕구를 평가해 "
         "방문간호와 재가 서비스로 연결합니다.",),
        ("본인이 동의하면 주민센터와 보건소에 퇴원 정보를 공유합니다.",),
        "Discharge planning and community referral",
        "Social workers assess patients before discharge and link them to care at home.",
        _Elig(),
        (10, 50), ("평일 09:00-17:30",),
    ),
    _Tpl(
        "SERVICE", "HO HC", "HEALTH_CHRONIC_DISEASE HEALTH_MEDICAL_EXPENSES",
        ("찾아가는 무료 건강검진", "취약계층 무료 진료"),
        ("의료 접근성이 낮은 주민에게 기본 건강검진과 진료를 무료로 제공합니다.",),
        ("읍면 지역에는 이동진료 차량이 방문합니다.",
         "이상 소견이 있으면 병원 진료를 연계합니다."),
        "Free health check-ups",
        "Residents with poor access to healthcare get free basic check-ups.",
        _Elig(income=_LOW_INCOME),
        (30, 120), ("매월 첫째 주 토 09:00-13:00", "매주 수 14:00-17:00"),
    ),
    _Tpl(
        "SERVICE", "HC", "HEALTH_CHRONIC_DISEASE HEALTH_MENTAL LEGAL_GUARDIANSHIP",
        ("치매 조기검진", "치매안심센터 인지건강 프로그램"),
        ("어르신께 무료 치매 선별검사와 인지 강화 프로그램을 제공합니다.",),
        ("치매로 진단되면 치료비를 월 3만 원까지 지원합니다.",
         "실종 예방 인식표를 발급해 드립니다."),
        "Dementia screening",
        "Older adults get free dementia screening and cognitive training.",
        _Elig(min_age=(60,)),
        (30, 150), _WEEKDAYS,
    ),
    # ---- 경제 (economy)
    _Tpl(
        "BENEFIT", "CH CC", "ECONOMY_LIVING_COSTS ECONOMY SAFETY_DISASTER",
        ("긴급 생계비 지원", "긴급복지 생계지원", "위기가구 긴급지원"),
        ("주 소득자의 사망·실직·질병 등으로 생계가 곤란해진 가구에 "
         "긴급 생계비를 지원합니다.",
         "갑작스러운 위기로 생활이 어려워진 가구에 먼저 지원하고 나중에 심사합니다."),
        ("신청 후 48시간 안에 지원 여부를 결정합니다.", "재산 기준은 별도로 확인합니다."),
        "Emergency living cost support",
        "Households that suddenly lose income through death, job loss or illness get help.",
        _Elig(income=(75,), notes=(None, "금융재산 기준 별도 확인")),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "BENEFIT", "CC CH", "ECONOMY_LIVING_COSTS",
        ("기초생활보장 생계급여 신청", "국민기초생활보장 생계급여"),
        ("소득인정액이 기준 이하인 가구에 매월 생계급여를 지급합니다.",),
        ("주민센터에서 신청하면 소득·재산 조사를 거쳐 결정됩니다.",
         "생계급여의 부양의무자 기준은 원칙적으로 폐지되었습니다."),
        "Basic livelihood benefit",
        "Households whose recognised income is below the threshold get a monthly benefit.",
        _Elig(income=(30,)),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "BENEFIT", "CC", "ECONOMY_LIVING_COSTS",
        ("기초연금 신청 안내", "기초연금"),
        ("소득인정액이 선정기준액 이하인 어르신께 매월 기초연금을 지급합니다.",),
        ("생일이 속한 달의 1개월 전부터 신청할 수 있습니다.",),
        "Basic pension",
        "Older adults whose income is below the threshold receive a monthly basic pension.",
        _Elig(min_age=(65,), notes=(None, "소득하위 70% 선정기준액 적용")),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "BENEFIT", "CC", "ECONOMY_LIVING_COSTS",
        ("장애인연금", "장애인연금 신청 안내"),
        ("소득이 적은 중증장애인에게 매월 장애인연금을 지급합니다.",),
        ("장애 정도 심사 결과에 따라 대상이 정해집니다.",),
        "Disability pension",
        "People with severe disabilities on low incomes receive a monthly pension.",
        _Elig(min_age=(18,), disability=True, households=(("DISABLED_MEMBER",),)),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "CH WC NGO SS", "LEGAL_DEBT_RELIEF ECONOMY_DEBT ECONOMY_MONEY_MANAGEMENT",
        ("채무 조정 상담", "개인회생·파산 상담 지원", "빚 걱정 해결 상담"),
        ("과도한 빚으로 어려움을 겪는 주민에게 채무 조정과 개인회생·파산 절차를 안내합니다.",
         "금융복지상담사가 채무 현황을 함께 정리하고 해결 방법을 찾습니다."),
        ("신용회복위원회와 법률구조공단으로 연계합니다.", "상담은 무료이며 비밀이 보장됩니다."),
        "Debt counselling",
        "Advisers help people in serious debt with debt adjustment and bankruptcy procedures.",
        _Elig(min_age=(None, 19)),
        (10, 40), ("평일 09:00-18:00", "매주 수 13:00-17:00"),
    ),
    _Tpl(
        "SERVICE", "SS WC", "ECONOMY_MONEY_MANAGEMENT ECONOMY_ASSET_BUILDING",
        ("금융교육 및 재무상담", "가계부 쓰기 교실"),
        ("저소득 가구를 대상으로 예산 세우기, 저축, 신용관리 교육을 진행합니다.",),
        ("4회 교육을 모두 들으면 수료증을 드립니다.",),
        "Money management class",
        "Low-income households learn budgeting, saving and credit management.",
        _Elig(income=(None, 50, 60)),
        (10, 30), ("매주 수 19:00-21:00", "매월 둘째·넷째 주 토 10:00-12:00"),
    ),
    _Tpl(
        "BENEFIT", "CH", "ECONOMY_ASSET_BUILDING EMPLOYMENT_SELF_SUFFICIENCY",
        ("희망저축계좌", "자산형성지원 희망저축계좌"),
        ("일하는 저소득 가구가 매월 저축하면 정부지원금을 더해 자산 형성을 돕습니다.",),
        ("3년 동안 근로를 유지하고 교육을 이수해야 합니다.",),
        "Matched savings account",
        "Working low-income households receive matching funds on their monthly savings.",
        _Elig(min_age=(18,), max_age=(None, 64), income=(50,)),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "FUNDING", "WC NGO", "ECONOMY_LIVING_COSTS HEALTH_MEDICAL_EXPENSES ECONOMY",
        ("희망나눔 긴급지원금", "민간 긴급지원 기금"),
        ("공적 지원을 받기 어려운 위기가구에 후원금으로 생계비·의료비를 긴급 지원합니다.",),
        ("사례회의를 거쳐 가구당 최대 100만 원을 지원합니다.",
         "공적 급여에서 탈락한 가구를 먼저 지원합니다."),
        "Emergency relief fund",
        "Households in crisis without public support get emergency funds for living costs.",
        _Elig(income=(None, 75, 100), notes=(None, "공적 지원 탈락 확인서 첨부")),
        (5, 40), (None,),
    ),
    # ---- 생활환경 (living environment)
    _Tpl(
        "BENEFIT", "CC CH", "LIVING_ENVIRONMENT_HOUSING ECONOMY_LIVING_COSTS",
        ("주거급여", "주거급여(임차료 지원)"),
        ("저소득 임차 가구에는 임차료를, 자가 가구에는 주택 수선비를 지원합니다.",),
        ("임대차계약서 사본이 필요합니다.", "자가 가구는 노후도에 따라 수선 주기가 정해집니다."),
        "Housing benefit",
        "Low-income tenants get help with rent; owner-occupiers get home repair support.",
        _Elig(income=(48,)),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "BENEFIT", "CC CH", "LIVING_ENVIRONMENT_ENERGY ECONOMY_LIVING_COSTS",
        ("에너지바우처", "동절기 난방비 지원"),
        ("취약계층 가구에 전기·가스·등유 등 난방비를 바우처로 지원합니다.",),
        ("여름철 냉방비도 일부 지원합니다.",
         "노인·장애인·영유아가 있는 수급 가구가 우선입니다."),
        "Energy voucher",
        "Vulnerable households receive vouchers to pay for heating.",
        _Elig(income=(30, 40, 50), households=((), ("SINGLE_ELDERLY", "DISABLED_MEMBER"))),
        None, ("매년 11월-이듬해 4월", "평일 09:00-18:00"),
    ),
    _Tpl(
        "GOODS", "WC NGO CC", "LIVING_ENVIRONMENT_ENERGY DAILY_LIVING_NECESSITIES",
        ("연탄·난방비 지원", "사랑의 연탄·난방유 나눔", "겨울나기 난방용품 지원"),
        ("겨울철 난방이 어려운 저소득 가구에 연탄, 난방유, 전기장판을 지원합니다.",),
        ("12월부터 2월까지 후원 물품이 떨어질 때까지 운영합니다.",
         "자원봉사자가 직접 배달해 드립니다."),
        "Winter heating support",
        "Low-income households get briquettes, heating oil or electric blankets in winter.",
        _Elig(income=_LOW_INCOME,
              households=((), ("SINGLE_ELDERLY",), ("GRANDPARENT_HEADED", "SINGLE_PARENT"))),
        (20, 120), ("매년 12월-2월", None),
    ),
    _Tpl(
        "SERVICE", "WC NGO CH SS",
        "LIVING_ENVIRONMENT_REPAIR LIVING_ENVIRONMENT_SANITATION LIVING_ENVIRONMENT_HOUSING",
        ("주거환경 개선(도배·장판)", "집수리 지원 사업", "취약가구 도배·장판 교체"),
        ("낡은 집에 사는 취약가구의 도배·장판 교체와 단열 보강을 지원합니다.",
         "전기·수도 등 간단한 집수리와 주거환경 개선을 지원합니다."),
        ("현장 실사 후 지원 범위가 정해집니다.", "가구당 최대 200만 원까지 지원합니다."),
        "Home repair (wallpaper and flooring)",
        "Old homes of vulnerable households get new wallpaper, flooring and insulation.",
        _Elig(income=(50, 60), households=(*_ELDER_HOMES[1:], ("GRANDPARENT_HEADED",))),
        (3, 20), (None, "평일 09:00-18:00"),
    ),
    _Tpl(
        "SERVICE", "WC SS CC", "LIVING_ENVIRONMENT_SANITATION DAILY_LIVING_HOUSEWORK",
        ("저장강박 가구 대청소 지원", "방역·청소 서비스"),
        ("쓰레기와 물건이 쌓여 위생이 나빠진 가구에 대청소와 방역을 지원합니다.",),
        ("청소 후 정기적으로 방문해 재발을 막습니다.", "자활사업단이 작업을 맡습니다."),
        "Deep cleaning and pest control",
        "Homes with hoarding or poor sanitation receive a deep clean and pest control.",
        _Elig(income=(None, 60), notes=(None, "사례관리 대상자 우선")),
        (3, 15), (None, "평일 09:00-17:00"),
    ),
    _Tpl(
        "FACILITY", "CH NGO", "LIVING_ENVIRONMENT_HOUSING SAFETY_DISASTER ECONOMY_LIVING_COSTS",
        ("긴급 임시거처 제공", "위기가구 임시주거 지원"),
        ("화재나 퇴거 등으로 머물 곳을 잃은 가구에 최대 3개월 임시거처를 제공합니다.",),
        ("이후 공공임대주택 입주를 연계합니다.",),
        "Emergency temporary housing",
        "Households left homeless by fire or eviction can stay up to three months.",
        _Elig(income=(None, 75)),
        (2, 10), ("24시간 운영", None),
    ),
    _Tpl(
        "SERVICE", "CH WC", "LIVING_ENVIRONMENT_HOUSING LEGAL_COUNSEL",
        ("주거 상담 및 공공임대 연계", "주거취약계층 주거상향 지원"),
        ("쪽방, 비닐하우스 등에 사는 가구에 공공임대주택 신청과 이사를 지원합니다.",),
        ("보증금 무이자 대출을 안내합니다.", "이사비와 생필품을 함께 지원합니다."),
        "Housing advice and social housing referral",
        "People in substandard housing get help moving into public rental housing.",
        _Elig(income=(50, 60)),
        (5, 30), _WEEKDAYS,
    ),
    _Tpl(
        "VOLUNTEER", "NGO WC", "LIVING_ENVIRONMENT_REPAIR LIVING_ENVIRONMENT_ENERGY",
        ("재능기부 집수리 봉사단", "사랑의 집고치기 봉사"),
        ("전기·설비 기술을 가진 자원봉사자가 취약가구의 전등, 수도, 보일러를 고쳐 드립니다.",),
        ("매월 둘째 주 토요일에 활동합니다.", "자재비는 후원금으로 마련합니다."),
        "Volunteer home repair team",
        "Skilled volunteers fix lights, taps and boilers in vulnerable households.",
        _Elig(income=(None, 60), households=(*_ELDER_HOMES[:2], ("SINGLE_ELDERLY",))),
        (4, 20), ("매월 둘째 주 토 09:00-15:00",),
    ),
    # ---- 교육 (education)
    _Tpl(
        "SERVICE", "KC WC", "EDUCATION_AFTER_SCHOOL EDUCATION_LEARNING FAMILY_CHILDCARE",
        ("방과후 학습 지도", "방과후 돌봄 및 학습 지원", "초등 방과후 교실"),
        ("방과 후 돌봄이 필요한 아동에게 숙제 지도와 기초학습을 지원합니다.",
         "맞벌이·한부모 가정 아동을 위한 방과후 돌봄과 학습 지도를 운영합니다."),
        ("저녁 급식을 함께 제공합니다.", "대학생 자원봉사자가 과목별 학습을 돕습니다."),
        "After-school tutoring",
        "Children who need after-school care get homework help and basic learning support.",
        _Elig(min_age=(6, 7), max_age=(12, 18), income=(None, 100), households=_CHILD_HOMES),
        (10, 40), ("평일 14:00-19:00", "평일 13:00-18:00"),
    ),
    _Tpl(
        "VOLUNTEER", "KC WC NGO", "EDUCATION_LEARNING SOCIAL_RELATIONSHIPS",
        ("대학생 학습 멘토링", "1:1 학습 멘토링"),
        ("대학생 자원봉사자가 아동·청소년과 1:1로 만나 학습과 진로 고민을 함께합니다.",),
        ("한 학기 단위로 멘토를 연결합니다.", "멘토 자원봉사자도 상시 모집합니다."),
        "One-to-one study mentoring",
        "Student volunteers meet children one-to-one to help with studies and career plans.",
        _Elig(min_age=(8, 10), max_age=(18,)),
        (10, 30), ("매주 토 10:00-12:00", "매주 화·목 17:00-19:00"),
    ),
    _Tpl(
        "VOLUNTEER", "KC WC NGO", "EDUCATION_LEARNING EDUCATION_AFTER_SCHOOL",
        ("어린이 영어 회화 멘토링", "원어민 자원봉사 영어 회화 교실"),
        ("원어민·유학생 자원봉사자와 함께 놀이 중심의 영어 회화를 배웁니다.",),
        ("4~6명 소그룹으로 진행합니다.",),
        "English conversation mentoring for children",
        "Native-speaking volunteers lead small, play-based English conversation groups.",
        _Elig(min_age=(7, 8), max_age=(13, 15)),
        (6, 24), ("매주 토 10:00-12:00", "매주 수 16:00-17:30"), en_rate=0.6,
    ),
    _Tpl(
        "SERVICE", "KC", "DAILY_LIVING_MEALS EDUCATION_AFTER_SCHOOL",
        ("아동 저녁 급식", "센터 이용 아동 석식 제공"),
        ("센터를 이용하는 아동에게 영양사가 짠 식단으로 저녁 식사를 제공합니다.",),
        ("방학 중에는 점심도 제공합니다.",),
        "Evening meals for children",
        "Children attending the centre get a balanced evening meal.",
        _Elig(max_age=(18,)),
        (15, 40), ("평일 17:30-18:30",),
    ),
    _Tpl(
        "SERVICE", "KC WC", "SOCIAL_LEISURE EDUCATION_AFTER_SCHOOL",
        ("아동 문화체험 나들이", "주말 문화체험 프로그램"),
        ("문화 경험이 부족한 아동에게 박물관 견학, 오름 탐방 등 체험 활동을 제공합니다.",),
        ("차량과 간식을 지원합니다.",),
        "Cultural outings for children",
        "Children visit museums, climb oreum and join other outings.",
        _Elig(min_age=(6,), max_age=(13, 18)),
        (10, 30), ("매월 셋째 주 토 09:00-16:00",),
    ),
    _Tpl(
        "SERVICE", "KC WC", "EDUCATION_DIGITAL EDUCATION_AFTER_SCHOOL",
        ("아동 코딩 교실", "청소년 디지털 교육"),
        ("아동·청소년에게 블록 코딩과 기초 컴퓨터 활용을 가르칩니다.",),
        ("노트북을 빌려 드립니다.",),
        "Coding class for children",
        "Children and teenagers learn block coding and basic computer skills.",
        _Elig(min_age=(9, 10), max_age=(15, 18)),
        (8, 20), ("매주 수 16:00-18:00", "매주 토 13:00-15:00"),
    ),
    _Tpl(
        "BENEFIT", "CC", "EDUCATION_EXPENSES",
        ("교육급여", "초·중·고 교육급여"),
        ("저소득 가구 초·중·고 학생에게 부교재비, 학용품비 등 교육활동지원비를 지급합니다.",),
        ("학년 초에 신청하면 연 1회 지급됩니다.",),
        "Education benefit for school children",
        "Low-income families receive an annual grant for school supplies and materials.",
        _Elig(min_age=(6, 7), max_age=(18,), income=(50,)),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "GOODS", "WC NGO CC KC", "EDUCATION_EXPENSES FAMILY_CHILDCARE",
        ("신학기 교복·학용품 지원", "새 학기 책가방 나눔"),
        ("새 학기를 맞은 저소득 가정 학생에게 교복, 책가방, 학용품을 지원합니다.",),
        ("2월 중에 신청을 받습니다.",),
        "School uniforms and supplies",
        "Students from low-income families receive uniforms, bags and stationery.",
        _Elig(min_age=(7,), max_age=(18,), income=_LOW_INCOME),
        (10, 60), ("매년 2월", None),
    ),
    _Tpl(
        "FUNDING", "WC NGO", "EDUCATION_EXPENSES EDUCATION_LEARNING",
        ("저소득 가정 아동 장학금", "꿈나무 장학금"),
        ("성실하게 공부하는 저소득 가정 아동·청소년에게 장학금을 지급합니다.",),
        ("학기마다 1인 50만 원을 지급합니다.", "학교장 또는 기관장의 추천이 필요합니다."),
        "Scholarship for children from low-income families",
        "Children and teenagers from low-income families receive a scholarship each term.",
        _Elig(min_age=(7, 13), max_age=(18,), income=(50, 60),
              households=((), ("SINGLE_PARENT", "GRANDPARENT_HEADED", "CHILD_HEADED"))),
        (5, 30), (None,),
    ),
    _Tpl(
        "SERVICE", "WC SC CC", "EDUCATION_ADULT_LITERACY SOCIAL_LEISURE",
        ("성인 문해교실", "한글 배움 교실"),
        ("배움의 기회를 놓친 성인에게 한글 읽기와 쓰기를 가르칩니다.",),
        ("초등 학력 인정 과정과 연계됩니다.", "교재는 무료로 드립니다."),
        "Adult literacy class",
        "Adults who missed out on schooling learn to read and write Korean.",
        _Elig(min_age=(18, 50)),
        (10, 25), ("매주 월·수 10:00-12:00",),
    ),
    _Tpl(
        "SERVICE", "SC WC CC", "EDUCATION_DIGITAL SOCIAL_LEISURE SOCIAL_ISOLATION",
        ("어르신 스마트폰 교실", "디지털 배움터"),
        ("스마트폰 기본 사용법, 영상통화, 키오스크 이용법을 쉽게 알려 드립니다.",),
        ("개인 스마트폰을 가져오시면 됩니다.", "강사 1명당 수강생 10명 이내로 운영합니다."),
        "Smartphone class for older adults",
        "Older adults learn smartphone basics, video calls and how to use kiosks.",
        _Elig(min_age=(55, 60, 65)),
        (10, 20), ("매주 화 14:00-16:00", "매주 금 10:00-12:00"),
    ),
    # ---- 고용 (employment)
    _Tpl(
        "SERVICE", "SS CH WC DC", "EMPLOYMENT_JOB_SEARCH EMPLOYMENT_TRAINING",
        ("취업 상담 및 직업훈련", "맞춤형 취업 지원", "직업훈련 연계 상담"),
        ("구직자에게 1:1 취업 상담, 이력서 작성, 직업훈련 과정을 연계합니다.",
         "적성 검사를 바탕으로 직업훈련과 일자리를 연결합니다."),
        ("국민내일배움카드 발급을 도와드립니다.", "취업 후 6개월 동안 사후관리를 합니다."),
        "Job counselling and vocational training",
        "Job seekers get one-to-one counselling, CV help and referral to training courses.",
        _Elig(min_age=(18,), max_age=(64, None), income=(None, 60, 100)),
        (20, 80), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "SS CH",
        "EMPLOYMENT_SELF_SUFFICIENCY ECONOMY_LIVING_COSTS EMPLOYMENT_TRAINING",
        ("자활근로 사업단 참여", "자활근로(카페·세탁 사업단)"),
        ("일할 수 있는 저소득층이 자활사업단에서 일하며 기술과 자립 역량을 키웁니다.",),
        ("참여 기간에는 자활급여를 받습니다.", "사업단: 카페, 세탁, 집수리, 청소."),
        "Self-sufficiency work programme",
        "Low-income people able to work gain skills and income in social enterprise teams.",
        _Elig(min_age=(18,), max_age=(64,), income=(50,)),
        (10, 60), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "SS", "EMPLOYMENT_SELF_SUFFICIENCY ECONOMY_ASSET_BUILDING",
        ("자활기업 창업 지원", "협동조합 창업 컨설팅"),
        ("자활사업 참여자가 자활기업이나 협동조합을 세우도록 교육과 자금을 지원합니다.",),
        ("창업 후 2년 동안 경영 컨설팅을 제공합니다.",),
        "Start-up support for self-sufficiency enterprises",
        "Programme participants get training and seed funding to start a cooperative.",
        _Elig(min_age=(18,), income=(50,)),
        (3, 15), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "SC CH WC", "EMPLOYMENT_SENIOR_JOBS SOCIAL_COMMUNITY ECONOMY_LIVING_COSTS",
        ("노인일자리 및 사회활동 지원", "어르신 공익활동 일자리"),
        ("어르신이 지역사회 공익활동에 참여하고 활동비를 받는 일자리 사업입니다.",
         "환경 정화, 학교 급식 도우미 등 어르신 맞춤 일자리를 연결합니다."),
        ("월 30시간 활동에 활동비 29만 원을 지급합니다.", "기초연금 수급자를 먼저 선발합니다."),
        "Jobs and social activities for older adults",
        "Older adults do community service jobs and receive a monthly activity allowance.",
        _Elig(min_age=(65, 60)),
        (30, 150), ("평일 09:00-12:00", "평일 09:00-18:00"),
    ),
    # ---- 사회적관계 (social relations)
    _Tpl(
        "SERVICE", "SC WC", "SOCIAL_LEISURE SOCIAL_ISOLATION HEALTH_CHRONIC_DISEASE",
        ("어르신 건강체조 교실", "노래교실 및 여가 프로그램", "어르신 평생교육 프로그램"),
        ("건강체조, 노래교실, 서예 등 어르신 여가·문화 프로그램을 운영합니다.",),
        ("학기별로 수강생을 모집합니다.", "수강료는 무료이며 재료비만 본인이 부담합니다."),
        "Leisure programmes for older adults",
        "Exercise, singing and calligraphy classes for older adults.",
        _Elig(min_age=(60, 65)),
        (20, 60), ("평일 10:00-16:00", "매주 월·수·금 10:00-11:00"),
    ),
    _Tpl(
        "SERVICE", "DC", "SOCIAL_LEISURE SOCIAL_RELATIONSHIPS HEALTH_REHABILITATION",
        ("장애인 생활체육 교실", "장애인 여가·문화 프로그램"),
        ("장애인이 함께 즐길 수 있는 생활체육과 문화 프로그램을 운영합니다.",),
        ("보치아, 수영, 합창 등 반을 운영합니다.", "활동보조 인력이 함께합니다."),
        "Sports and leisure for people with disabilities",
        "Adapted sports and cultural classes for people with disabilities.",
        _Elig(disability=True, households=(("DISABLED_MEMBER",),)),
        (10, 40), ("매주 화·목 14:00-16:00", "매주 토 10:00-12:00"),
    ),
    _Tpl(
        "SERVICE", "CC WC NGO SC", "SOCIAL_ISOLATION SAFETY_SUICIDE_RISK SOCIAL",
        ("1인 가구 안부 확인 서비스", "고독사 예방 안부 살핌", "우리동네 돌봄이웃"),
        ("마을복지플래너와 이웃 돌봄이가 홀로 사는 주민의 안부를 정기적으로 확인합니다.",
         "{area}의 1인 가구에 주 1회 안부 전화와 월 1회 방문을 합니다."),
        ("이상 징후가 있으면 주민센터 맞춤형복지팀에 바로 알립니다.",
         "AI 안부 전화 서비스와 함께 운영합니다."),
        "Wellbeing check-ins for people living alone",
        "Welfare planners and neighbours regularly check on residents who live alone.",
        _Elig(min_age=(None, 40, 50), households=((), ("SINGLE_ELDERLY",))),
        (20, 100), ("평일 09:00-18:00", None),
    ),
    _Tpl(
        "VOLUNTEER", "NGO SC WC", "SOCIAL_ISOLATION SOCIAL_RELATIONSHIPS",
        ("말벗 자원봉사", "어르신 말벗 친구 맺기"),
        ("자원봉사자가 홀로 지내는 어르신을 정기적으로 찾아가 말벗이 되어 드립니다.",),
        ("봉사자는 사전 교육을 받습니다.", "산책과 장보기 동행도 함께합니다."),
        "Befriending volunteers",
        "Volunteers regularly visit older adults living alone for a chat and a walk.",
        _Elig(min_age=(65,), households=(("SINGLE_ELDERLY",), ())),
        (10, 50), ("매주 1회(일정 협의)", None),
    ),
    _Tpl(
        "FACILITY", "CC WC", "SOCIAL_COMMUNITY SOCIAL_LEISURE",
        ("주민 공유공간 대관", "마을 사랑방 운영"),
        ("주민 모임과 동아리 활동에 쓸 수 있는 공유공간을 무료로 빌려 드립니다.",),
        ("전화나 누리집으로 예약할 수 있습니다.", "최대 20명까지 이용할 수 있습니다."),
        "Community room booking",
        "Residents can book a shared room free of charge for meetings and clubs.",
        _Elig(),
        (20, 40), ("평일 09:00-21:00", "평일 09:00-18:00"),
    ),
    # ---- 가족관계 (family)
    _Tpl(
        "BENEFIT", "CH CC", "DAILY_LIVING_MEALS FAMILY_CHILDCARE",
        ("아동급식카드 지원", "결식아동 급식 지원"),
        ("결식 우려가 있는 아동에게 방학과 주말에 쓸 수 있는 급식카드를 지원합니다.",),
        ("가맹 음식점과 편의점에서 사용할 수 있습니다.",),
        "Meal card for children",
        "Children at risk of missing meals get a meal card for weekends and holidays.",
        _Elig(max_age=(17,), income=(50,), households=_CHILD_HOMES),
        None, _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "CH", "FAMILY_CHILDCARE EDUCATION_LEARNING HEALTH",
        ("드림스타트 아동 통합사례관리", "드림스타트"),
        ("취약계층 아동과 가족에게 건강·교육·복지 서비스를 맞춤형으로 제공합니다.",),
        ("아동통합사례관리사가 가정을 방문해 욕구를 조사합니다.",),
        "Dream Start support for children",
        "Young children in vulnerable families get tailored health, learning and welfare help.",
        _Elig(min_age=(0,), max_age=(12,), income=(None, 50), households=_CHILD_HOMES),
        (50, 150), _WEEKDAYS,
    ),
    _Tpl(
        "BENEFIT", "CH CC", "FAMILY_CHILDCARE ECONOMY_LIVING_COSTS",
        ("한부모가족 아동양육비", "한부모가족 자녀 양육비 지원"),
        ("저소득 한부모가족에게 18세 미만 자녀 1인당 월 양육비를 지원합니다.",),
        ("청소년 한부모는 추가 지원을 받을 수 있습니다.",),
        "Child-rearing allowance for single parents",
        "Low-income single-parent families get a monthly allowance for each child under 18.",
        _Elig(income=(60,), households=(("SINGLE_PARENT",),)),
        None, _WEEKDAYS, family=True,
    ),
    _Tpl(
        "SERVICE", "WC HC", "FAMILY_CHILDCARE FAMILY_CONFLICT",
        ("부모교육 및 양육 상담", "좋은 부모 되기 교실"),
        ("영유아·아동을 키우는 부모에게 양육 코칭과 부모 교육을 제공합니다.",),
        ("교육 시간에는 아이 돌봄을 지원합니다.",
         "한부모·다문화 가정은 우선 참여할 수 있습니다."),
        "Parenting class and counselling",
        "Parents of young children get parenting coaching and classes.",
        _Elig(min_age=(None, 19), households=((), ("SINGLE_PARENT",),
                                              ("MULTICULTURAL", "SINGLE_PARENT"))),
        (10, 30), ("매주 토 10:00-12:00", "매주 목 19:00-21:00"), family=True,
    ),
    _Tpl(
        "SERVICE", "WC HC NGO", "FAMILY_CONFLICT HEALTH_MENTAL SOCIAL_RELATIONSHIPS",
        ("가족관계 회복 상담", "부부·가족 갈등 상담"),
        ("가족 간 갈등이나 대화 단절로 힘든 가족에게 전문 상담을 제공합니다.",),
        ("개인·부부·가족 단위 상담이 모두 가능합니다.", "최대 10회까지 무료로 상담합니다."),
        "Family relationship counselling",
        "Professional counselling for families facing conflict or communication problems.",
        _Elig(),
        (5, 25), ("평일 10:00-19:00", "매주 화·목 14:00-20:00"), family=True,
    ),
    _Tpl(
        "SERVICE", "DC WC", "FAMILY_CARE_BURDEN HEALTH_MENTAL",
        ("돌봄가족 휴식 지원", "가족돌봄자 힐링 프로그램"),
        ("장애인이나 중증 어르신을 돌보는 가족에게 휴식과 심리 지원을 제공합니다.",),
        ("단기 돌봄을 연계해 1박 2일 휴식 캠프에 참여할 수 있습니다.",),
        "Respite for family caregivers",
        "Family members caring for a disabled or frail relative get respite and support.",
        _Elig(households=(("DISABLED_MEMBER",), ())),
        (8, 30), ("매월 넷째 주 토 10:00-16:00", None), family=True,
    ),
    _Tpl(
        "SERVICE", "WC NGO CC",
        "FAMILY_MULTICULTURAL EDUCATION_ADULT_LITERACY LEGAL_RESIDENCY",
        ("결혼이민자 한국어 교실", "다문화가족 한국어 교육"),
        ("결혼이민자를 대상으로 단계별 한국어 수업과 생활 정보를 제공합니다.",),
        ("수업 중에는 자녀 돌봄을 지원합니다.", "사회통합프로그램 이수에 도움이 됩니다."),
        "Korean language class for marriage migrants",
        "Marriage migrants learn Korean step by step and get practical tips on life in Jeju.",
        _Elig(min_age=(None, 18), households=(("MULTICULTURAL",),)),
        (10, 25), ("매주 화·목 10:00-12:00", "매주 일 14:00-16:00"), en_rate=0.3,
    ),
    # ---- 법률 및 권익보장 (legal rights)
    _Tpl(
        "SERVICE", "CH WC NGO CC", "LEGAL_COUNSEL LEGAL_RIGHTS_ADVOCACY",
        ("무료 법률 상담", "마을변호사 법률상담", "생활법률 무료 상담"),
        ("마을변호사가 임대차, 가사, 채무 등 생활 법률 문제를 무료로 상담합니다.",
         "대한법률구조공단과 연계해 소송 절차와 법률구조를 안내합니다."),
        ("사전에 전화로 예약해 주세요.", "상담 시간은 1인 30분입니다."),
        "Free legal advice",
        "Volunteer lawyers give free advice on tenancy, family and debt matters.",
        _Elig(),
        (8, 30), ("매월 셋째 주 화 14:00-17:00", "매월 첫째 주 목 10:00-12:00"),
    ),
    _Tpl(
        "SERVICE", "NGO WC", "LEGAL_RESIDENCY FAMILY_MULTICULTURAL LEGAL_COUNSEL",
        ("체류·국적 행정 상담", "이주민 통번역 및 체류 상담"),
        ("이주민에게 비자 연장, 국적 취득 등 체류 관련 절차를 안내하고 통번역을 지원합니다.",),
        ("베트남어, 중국어, 필리핀어 상담이 가능합니다.",),
        "Residency and visa advice for migrants",
        "Migrants get help with visa extensions, naturalisation and interpretation.",
        _Elig(households=((), ("MULTICULTURAL",))),
        (20, 80), ("평일 09:00-18:00", "매주 일 10:00-16:00"), en_rate=0.3,
    ),
    _Tpl(
        "SERVICE", "CH DC", "LEGAL_GUARDIANSHIP LEGAL_RIGHTS_ADVOCACY ECONOMY_MONEY_MANAGEMENT",
        ("공공후견 지원", "발달장애인·치매 어르신 공공후견"),
        ("스스로 결정하기 어려운 발달장애인과 치매 어르신에게 공공후견인 선임을 지원합니다.",),
        ("후견 심판 청구 비용과 후견인 활동비를 지원합니다.",),
        "Public guardianship support",
        "People with developmental disabilities or dementia get help appointing a guardian.",
        _Elig(min_age=(19,), households=((), ("DISABLED_MEMBER",))),
        (3, 15), _WEEKDAYS,
    ),
    # ---- 안전 (safety)
    _Tpl(
        "SERVICE", "CH WC", "SAFETY_ABUSE LEGAL_RIGHTS_ADVOCACY FAMILY_CONFLICT",
        ("학대 피해 아동·노인 보호 연계", "학대 예방 및 피해자 보호 지원"),
        ("학대가 의심되는 아동·노인을 발견하면 보호전문기관과 연계해 안전을 확보합니다.",),
        ("아동학대는 112, 노인학대는 1577-1389로 신고할 수 있습니다.",
         "피해자 쉼터 입소를 지원합니다."),
        "Protection for abused children and older adults",
        "Suspected abuse of children or older adults is referred to protection agencies.",
        _Elig(),
        None, ("24시간 신고 접수", "평일 09:00-18:00"),
    ),
    _Tpl(
        "SERVICE", "NGO WC", "SAFETY_DOMESTIC_VIOLENCE SAFETY_CRIME_VICTIM LEGAL_COUNSEL",
        ("가정폭력 피해자 상담·보호", "가정폭력 피해자 긴급 보호"),
        ("가정폭력 피해자에게 상담, 의료·법률 지원과 긴급 보호시설 입소를 연계합니다.",),
        ("여성긴급전화 1366과 연계해 24시간 대응합니다.", "동반 자녀도 함께 보호합니다."),
        "Support for survivors of domestic violence",
        "Survivors get counselling, medical and legal help, and emergency shelter.",
        _Elig(),
        (5, 20), ("24시간 운영",),
    ),
    _Tpl(
        "GOODS", "NGO CH", "SAFETY_DISASTER DAILY_LIVING_NECESSITIES LIVING_ENVIRONMENT_HOUSING",
        ("재난 구호물품 지원", "재난 피해가구 응급구호"),
        ("태풍·화재 등 재난 피해 가구에 응급구호품과 생필품 세트를 지원합니다.",),
        ("담요, 세면도구, 식료품 등이 들어 있습니다.",
         "피해 규모에 따라 임시 거처를 연계합니다."),
        "Disaster relief kits",
        "Households hit by typhoons, fires or other disasters receive relief kits.",
        _Elig(),
        (50, 300), ("24시간 운영", None),
    ),
    _Tpl(
        "FUNDING", "NGO CH", "SAFETY_CRIME_VICTIM HEALTH_MEDICAL_EXPENSES LEGAL_COUNSEL",
        ("범죄피해자 치료비 지원", "범죄피해자 생계·치료비 지원"),
        ("범죄 피해를 입은 주민과 가족에게 치료비, 생계비, 심리 상담을 지원합니다.",),
        ("경찰서 피해자 전담 경찰관을 통해서도 신청할 수 있습니다.",),
        "Support for victims of crime",
        "Victims of crime and their families get help with medical bills and counselling.",
        _Elig(),
        None, _WEEKDAYS,
    ),
    # ---- 통합 (several domains)
    _Tpl(
        "SERVICE", "CC CH WC", "ECONOMY FAMILY SOCIAL HEALTH",
        ("위기가구 통합사례관리", "통합사례관리"),
        ("여러 어려움이 겹친 위기가구에 사례관리자를 배정해 필요한 서비스를 묶어 연계합니다.",),
        ("지역케어회의를 통해 민관 기관이 함께 지원 계획을 세웁니다.",
         "6개월마다 목표 달성 여부를 점검합니다."),
        "Integrated case management for households in crisis",
        "A case manager coordinates services for households facing several problems.",
        _Elig(notes=(None, "본인 동의 후 진행")),
        (20, 80), _WEEKDAYS,
    ),
    _Tpl(
        "SERVICE", "CC", "ECONOMY_LIVING_COSTS SOCIAL_ISOLATION HEALTH_MEDICAL_EXPENSES",
        ("찾아가는 복지상담", "복지 사각지대 발굴 방문상담"),
        ("맞춤형복지팀과 마을복지플래너가 가정을 방문해 "
         "필요한 복지 서비스를 안내하고 신청을 돕습니다.",),
        ("단전·단수·체납 정보로 위기 징후가 보이는 가구를 먼저 찾아갑니다.",
         "복지멤버십 가입을 안내해 드립니다."),
        "Door-to-door welfare outreach",
        "Welfare staff visit homes to explain services and help people apply.",
        _Elig(),
        None, _WEEKDAYS,
    ),
)
# fmt: on

_HOUSEHOLD_KO = {
    "SINGLE_ELDERLY": "독거어르신",
    "SINGLE_PARENT": "한부모",
    "GRANDPARENT_HEADED": "조손",
    "MULTICULTURAL": "다문화",
    "DISABLED_MEMBER": "장애인",
    "CHILD_HEADED": "아동 가장",
}
_HOUSEHOLD_EN = {
    "SINGLE_ELDERLY": "older adults living alone",
    "SINGLE_PARENT": "single-parent",
    "GRANDPARENT_HEADED": "grandparent-headed",
    "MULTICULTURAL": "multicultural",
    "DISABLED_MEMBER": "disability",
    "CHILD_HEADED": "child-headed",
}

_ROOMS = ("1층 상담실", "2층 프로그램실", "별관", "3층 교육장", "1층 민원실")
_NOTES = (
    "예산 소진 시 조기 마감 가능",
    "대상자 중복 수혜 여부 사전 확인 필요",
    "담당자 3월 인사이동 예정",
    "차량 1대 정비 중, 운행 축소",
    "후원처 협약 하반기 갱신 필요",
    "동 주민센터 추천서 필수",
    "대기자 명단 별도 관리 중",
    "야간 긴급 연락은 팀장 휴대전화로",
    "자원봉사자 추가 모집 필요",
    "상반기 실적 보고 대상 사업",
    "의뢰 시 개인정보 동의서 첨부",
    "지역케어회의 안건으로 상정됨",
    "기부식품 유통기한 점검 강화",
    "사례관리 대상자 우선 배정",
)
_NOTES_SUSPENDED = ("시설 보수로 일시 중단", "담당 인력 공백으로 잠정 중단", "예산 재배정 대기 중")
_NOTES_CLOSED = ("사업 종료(예산 미확보)", "유사 사업으로 통합되어 종료")


# -------------------------------------------------------------------------------- helpers


def _load(name: str) -> Any:
    return json.loads((_SEED_DIR / name).read_text(encoding="utf-8"))


def _make_id(prefix: str, n: int) -> str:
    return f"{prefix}_{hashlib.sha1(f'{prefix}-{n}'.encode()).hexdigest()[:12]}"


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point uniformly within `km` of (lat, lon), kept inside Jeju's bounding box."""
    dist = km * math.sqrt(rng.random())
    angle = rng.uniform(0.0, 2.0 * math.pi)
    new_lat = lat + dist * math.cos(angle) / 111.0
    new_lon = lon + dist * math.sin(angle) / (111.32 * math.cos(math.radians(lat)))
    new_lat = min(max(new_lat, _LAT_RANGE[0]), _LAT_RANGE[1])
    new_lon = min(max(new_lon, _LON_RANGE[0]), _LON_RANGE[1])
    return round(new_lat, 6), round(new_lon, 6)


def _phone(rng: random.Random) -> str:
    return f"064-7{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"


def _address(rng: random.Random, emd: dict[str, Any], sigungu: str) -> str:
    road = rng.choice(_ROADS.get(emd["name"], ("중앙로",)))
    number = str(rng.randint(1, 260))
    if rng.random() < 0.2:
        number += f"-{rng.randint(1, 12)}"
    if emd["name"].endswith(("읍", "면")):
        return f"{_PROVINCE} {sigungu} {emd['name']} {road} {number}"
    return f"{_PROVINCE} {sigungu} {road} {number} ({emd['name']})"


def _person(rng: random.Random, kind: str, sector: str) -> str:
    titles = _TITLES.get(kind, _PRIVATE_TITLES if sector == "PRIVATE" else ("주무관",))
    return f"{rng.choice(_SURNAMES)}{rng.choice(_GIVEN)} {rng.choice(titles)}"


def _eligibility(rng: random.Random, tpl: _Tpl, provider_kind: str) -> dict[str, Any]:
    spec = tpl.elig
    min_age = rng.choice(spec.min_age)
    max_age = rng.choice(spec.max_age)
    households = list(rng.choice(spec.households))
    disability = spec.disability
    if provider_kind == "SENIOR_WELFARE_CENTER":
        if min_age is None or min_age < 60:
            min_age = rng.choice((60, 65))
        max_age = None
    elif provider_kind == "CHILD_CENTER":
        max_age = 18 if max_age is None else min(max_age, 18)
    elif provider_kind == "DISABILITY_WELFARE_CENTER":
        households = ["DISABLED_MEMBER"]
        disability = disability or not tpl.family
        if min_age is not None and min_age >= 60:
            min_age = None
    if min_age is not None and max_age is not None and min_age > max_age:
        max_age = None
    return {
        "minAge": min_age,
        "maxAge": max_age,
        "maxIncomePercent": rng.choice(spec.income),
        "householdTypes": households,
        "disabilityRequired": disability,
        "notes": rng.choice(spec.notes),
    }


def _eligibility_sentence(elig: dict[str, Any], english: bool) -> str | None:
    """One sentence stating the eligibility record, or None when it restricts nothing."""
    lo, hi, income = elig["minAge"], elig["maxAge"], elig["maxIncomePercent"]
    households = [t for t in elig["householdTypes"] if t != "GENERAL"]
    parts: list[str] = []
    if english:
        if lo is not None and hi is not None:
            parts.append(f"aged {lo}-{hi}")
        elif lo is not None:
            parts.append(f"aged {lo} or over")
        elif hi is not None:
            parts.append(f"aged {hi} or under")
        if elig["disabilityRequired"]:
            parts.append("registered disability")
        if income is not None:
            parts.append(f"household income up to {income}% of the standard median income")
        if households:
            parts.append(" / ".join(_HOUSEHOLD_EN[t] for t in households) + " households")
        return f"Eligibility: {', '.join(parts)}." if parts else None
    if lo is not None and hi is not None:
        parts.append(f"만 {lo}~{hi}세")
    elif lo is not None:
        parts.append(f"만 {lo}세 이상")
    elif hi is not None:
        parts.append(f"만 {hi}세 이하")
    if elig["disabilityRequired"]:
        parts.append("등록 장애인")
    if income is not None:
        parts.append(f"기준중위소득 {income}% 이하")
    if households:
        parts.append("·".join(_HOUSEHOLD_KO[t] for t in households) + " 가구")
    return f"지원 대상은 {', '.join(parts)}입니다." if parts else None


def _capacity(rng: random.Random, tpl: _Tpl, status: str) -> dict[str, int | None]:
    if tpl.cap is None:
        return {"total": None, "available": None}
    total = rng.randint(*tpl.cap)
    if total > 20:
        total = max(20, round(total / 5) * 5)
    if status != "ACTIVE" or rng.random() < 0.12:
        available = 0
    else:
        available = rng.randint(0, total)
    return {"total": total, "available": available}


def _needs(rng: random.Random, tpl: _Tpl, parents: dict[str, str | None]) -> list[str]:
    primary, *others = tpl.needs.split()
    extra = rng.choices((0, 1, 2), weights=(45, 40, 15))[0]
    chosen = [primary, *rng.sample(others, min(extra, len(others)))]
    parent = parents[primary]
    if parent is not None and parent not in chosen and len(chosen) < 3 and rng.random() < 0.1:
        chosen.append(parent)
    return chosen


# ------------------------------------------------------------------------------- builders


class _Geo:
    """Region lookups: 읍면동 by code and name, their 시군구, and nearest neighbours."""

    def __init__(self, regions: list[dict[str, Any]]) -> None:
        self.by_code = {r["code"]: r for r in regions}
        self.emds = [r for r in regions if r["level"] == "EUPMYEONDONG"]
        self.emd_by_name = {r["name"]: r for r in self.emds}
        self.province = next(r["code"] for r in regions if r["level"] == "SIDO")
        self.neighbours: dict[str, list[str]] = {}
        for emd in self.emds:
            siblings = [o for o in self.emds if o["parent"] == emd["parent"] and o is not emd]
            siblings.sort(key=lambda o: (o["lat"] - emd["lat"]) ** 2 + (o["lon"] - emd["lon"]) ** 2)
            self.neighbours[emd["code"]] = [o["code"] for o in siblings[:3]]

    def sigungu_name(self, emd: dict[str, Any]) -> str:
        return str(self.by_code[emd["parent"]]["name"])


def _build_institutions(
    rng: random.Random, geo: _Geo
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Institutions plus, per id, private extras (e-mail slug, staff) used for resources."""
    specs: list[tuple[str, str, str, str | None, str, str]] = []
    for emd in geo.emds:
        town = emd["name"].endswith(("읍", "면"))
        name = f"{emd['name']} {'행정복지센터' if town else '주민센터'}"
        name_en = f"{emd['nameEn']} {'Administrative Welfare' if town else 'Community'} Center"
        slug = "".join(ch for ch in emd["nameEn"].lower() if ch.isalnum() or ch == "-")
        specs.append(("COMMUNITY_CENTER", "PUBLIC", name, name_en, emd["name"], slug))
    specs.extend(_INSTITUTIONS)

    institutions: list[dict[str, Any]] = []
    extras: dict[str, dict[str, Any]] = {}
    for n, (kind, sector, name, name_en, emd_name, slug) in enumerate(specs, start=1):
        emd = geo.emd_by_name[emd_name]
        lat, lon = _jitter(rng, emd["lat"], emd["lon"], 1.2)
        ins_id = _make_id("ins", n)
        institutions.append(
            {
                "id": ins_id,
                "name": name,
                "nameEn": name_en,
                "sector": sector,
                "kind": kind,
                "regionCode": emd["code"],
                "phone": _phone(rng),
                "address": _address(rng, emd, geo.sigungu_name(emd)),
                "lat": lat,
                "lon": lon,
            }
        )
        staff = [_person(rng, kind, sector) for _ in range(rng.randint(2, 3))]
        extras[ins_id] = {"slug": slug, "staff": staff, "emd": emd}
    return institutions, extras


def _served_regions(rng: random.Random, kind: str, emd: dict[str, Any], geo: _Geo) -> list[str]:
    own, sigungu = emd["code"], emd["parent"]
    local = [own, *rng.sample(geo.neighbours[own], rng.randint(0, 3))]
    roll = rng.random()
    if kind == "COMMUNITY_CENTER":
        return [own] if roll < 0.7 else [own, *rng.sample(geo.neighbours[own], rng.randint(1, 2))]
    if kind == "CITY_HALL":
        if roll < 0.85:
            return [sigungu]
        siblings = [e["code"] for e in geo.emds if e["parent"] == sigungu]
        return rng.sample(siblings, rng.randint(2, 4))
    if kind in ("NGO", "HOSPITAL"):
        if roll < 0.3:
            return [geo.province]
        return [sigungu] if roll < 0.8 else local
    if kind == "HEALTH_CENTER":
        return [sigungu] if roll < 0.5 else local
    if roll < 0.03:
        return [geo.province]
    return [sigungu] if roll < 0.2 else local


def _area_name(regions: list[str], emd: dict[str, Any], geo: _Geo) -> str:
    """The served area as used in text: the provider's 읍면동, or the 시군구 or province."""
    first = geo.by_code[regions[0]]
    return str(emd["name"] if first["level"] == "EUPMYEONDONG" else first["name"])


def _build_resource(
    rng: random.Random,
    n: int,
    inst: dict[str, Any],
    extra: dict[str, Any],
    tpl: _Tpl,
    geo: _Geo,
    parents: dict[str, str | None],
) -> dict[str, Any]:
    emd, kind, sector = extra["emd"], inst["kind"], inst["sector"]
    roll = rng.random()
    status = "CLOSED" if roll < 0.03 else "SUSPENDED" if roll < 0.08 else "ACTIVE"
    regions = _served_regions(rng, kind, emd, geo)
    area_ko = _area_name(regions, emd, geo)
    english = rng.random() < tpl.en_rate
    elig = _eligibility(rng, tpl, kind)

    if english:
        name = tpl.name_en
        sentences = [tpl.text_en]
        elig["notes"] = None
    else:
        name = rng.choice(tpl.names)
        if regions[0] != geo.province and rng.random() < 0.3:
            name = f"{area_ko} {name}"
        sentences = [rng.choice(tpl.texts).format(area=area_ko)]
        if tpl.details and rng.random() < 0.6:
            sentences.append(rng.choice(tpl.details))
    stated = _eligibility_sentence(elig, english)
    if stated is not None and len(sentences) < 3 and rng.random() < 0.6:
        sentences.append(stated)

    res_kind = tpl.kind
    if res_kind == "BENEFIT" and sector == "PRIVATE" and rng.random() < 0.85:
        res_kind = "FUNDING"

    roll = rng.random()
    if roll < 0.6:
        address = {"text": inst["address"], "lat": inst["lat"], "lon": inst["lon"]}
    elif roll < 0.85:
        text = f"{inst['address']} {rng.choice(_ROOMS)}"
        address = {"text": text, "lat": inst["lat"], "lon": inst["lon"]}
    else:
        lat, lon = _jitter(rng, inst["lat"], inst["lon"], 0.8)
        address = {"text": _address(rng, emd, geo.sigungu_name(emd)), "lat": lat, "lon": lon}

    domain = "example.go.kr" if sector == "PUBLIC" else "example.or.kr"
    box = rng.choice(("welfare", "care", "help", "info", "support"))
    contact = {
        "phone": inst["phone"] if rng.random() < 0.7 else _phone(rng),
        "email": f"{box}.{extra['slug']}@{domain}" if rng.random() < 0.6 else None,
        "person": rng.choice(extra["staff"]) if rng.random() < 0.7 else None,
    }

    notes: str | None = None
    if rng.random() < 0.33:
        pool = {"CLOSED": _NOTES_CLOSED, "SUSPENDED": _NOTES_SUSPENDED}.get(status, _NOTES)
        notes = rng.choice(pool)

    return {
        "id": _make_id("res", n),
        "providerId": inst["id"],
        "name": name,
        "description": " ".join(sentences),
        "kind": res_kind,
        "status": status,
        "needs": _needs(rng, tpl, parents),
        "regions": regions,
        "eligibility": elig,
        "capacity": _capacity(rng, tpl, status),
        "schedule": rng.choice(tpl.schedules),
        "contact": contact,
        "address": address,
        "internalNotes": notes,
    }


def build_demo_dataset(seed: int = 20191) -> DemoDataset:
    """Build the Jeju demo institutions and resources; the same seed gives the same data."""
    rng = random.Random(seed)
    needs = _load("needs.json")
    parents: dict[str, str | None] = {item["code"]: item["parent"] for item in needs}
    unknown = [code for tpl in _TEMPLATES for code in tpl.needs.split() if code not in parents]
    if unknown:
        raise ValueError(f"demo templates use need codes missing from needs.json: {unknown}")
    geo = _Geo(_load("regions.json")["regions"])

    institutions, extras = _build_institutions(rng, geo)
    resources: list[dict[str, Any]] = []
    for inst in institutions:
        code = _KIND_CODES[inst["kind"]]
        offered = [tpl for tpl in _TEMPLATES if code in tpl.providers.split()]
        count = min(_RESOURCES_PER_KIND[inst["kind"]] + rng.randint(0, 1), len(offered))
        for tpl in rng.sample(offered, count):
            resources.append(
                _build_resource(
                    rng, len(resources) + 1, inst, extras[inst["id"]], tpl, geo, parents
                )
            )
    return DemoDataset(institutions=institutions, resources=resources)
