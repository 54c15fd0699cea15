"""The statutory periods the product counts: one table, each row with its statute, its unit and
where it starts. Every deadline of the three addons is computed from it by
`hr.enforcement.holiday._period_end()`; the README lists the table with the test of each row.

Working days (工作日) skip weekends and the State Council's days off and count its make-up
working days (调休上班): a law says so for its short periods (行政处罚法 第八十五条: 二、三、五、
七日; 行政强制法 第六十九条: 十日以内; 行政许可法 第八十二条: every licensing period;
行政复议法 第八十八条: 三、五、七、十日) or counts in working days itself
(劳动保障监察条例 第十七条).
Every other period counts calendar days (日) or months (月); when its last day is a rest day
or a holiday it ends on the next working day (民事诉讼法 (2023) 第八十五条, applied by
行政诉讼法 第一百零一条 and 行政复议法 第八十八条). The day a period starts is never counted.
"""

from collections import namedtuple

WORKING = "working"
CALENDAR = "calendar"
MONTHS = "months"

Period = namedtuple(
    "Period",
    ["amount", "unit", "start", "statute", "rule", "extension", "extension_statute"],
    defaults=(0, ""),
)

PERIODS = {
    # the complaint is taken up or not within five working days; not taken up: written notice
    "complaint_decision": Period(
        5,
        WORKING,
        "receipt of the complaint",
        "关于实施《劳动保障监察条例》若干规定 第十八条",
        "R7.2",
    ),
    "investigation": Period(
        60,
        WORKING,
        "filing (立案)",
        "劳动保障监察条例 第十七条",
        "R8.1",
        30,
        "劳动保障监察条例 第十七条: once, approved by the head of the bureau",
    ),
    # 第六十条 sets no extension and defers to rules: the bureau extends once, by at most
    # 30 days, through the approval chain (the cap managers confirm against their rules)
    "penalty_decision": Period(
        90,
        CALENDAR,
        "filing (立案)",
        "行政处罚法 第六十条",
        "R13.5",
        30,
        "行政处罚法 第六十条 (法律、法规、规章另有规定的，从其规定): once, approved",
    ),
    # the bureau sets the days per type of case (Configuration → Rights Periods); 3 by default
    "statement": Period(
        3,
        WORKING,
        "service of the advance notice (告知)",
        "行政处罚法 第四十四条、第四十五条、第八十五条; 劳动保障监察条例 第十九条",
        "R16.1",
    ),
    "hearing_request": Period(
        5,
        WORKING,
        "service of the advance notice (告知)",
        "行政处罚法 第六十四条第一项、第八十五条",
        "R13.1",
    ),
    "hearing_notice": Period(
        7,
        WORKING,
        "notice of the hearing, before the day of the hearing",
        "行政处罚法 第六十四条第二项、第八十五条",
        "R10.1",
    ),
    "penalty_service": Period(
        7,
        WORKING,
        "the decision, when the party was absent at its announcement",
        "行政处罚法 第六十一条、第八十五条",
        "R14.1",
    ),
    "fine_payment": Period(
        15, CALENDAR, "receipt of the penalty decision", "行政处罚法 第六十七条", "R15.1"
    ),
    "reconsideration": Period(
        60, CALENDAR, "receipt of the decision", "行政复议法 (2023) 第二十条", "R13.1"
    ),
    "litigation": Period(6, MONTHS, "receipt of the decision", "行政诉讼法 第四十六条", "R13.1"),
    "reminder_wait": Period(
        10,
        WORKING,
        "service of the reminder (催告书)",
        "行政强制法 第五十四条、第六十九条",
        "R17.1",
    ),
    "court_application": Period(
        3,
        MONTHS,
        "the end of the reconsideration and litigation periods after service of the decision",
        "行政强制法 第五十三条",
        "R17.2",
    ),
    "licence_supplement": Period(
        5,
        WORKING,
        "receipt of the application; missed: accepted from receipt",
        "行政许可法 第三十二条第一款第四项、第八十二条",
        "R6.1",
    ),
    "licence_decision": Period(
        20,
        WORKING,
        "acceptance of the application",
        "行政许可法 第四十二条、第八十二条",
        "R6.1",
        10,
        "行政许可法 第四十二条: once, approved by the head of the bureau",
    ),
    "licence_issue": Period(
        10,
        WORKING,
        "the decision to grant the licence",
        "行政许可法 第四十四条、第八十二条",
        "R6.1",
    ),
    # 工伤认定: calendar days (工伤保险条例 and 工伤认定办法 name no working days)
    "injury_acceptance": Period(
        15,
        CALENDAR,
        "receipt of the application, or of all the materials to supplement",
        "工伤认定办法 第八条",
        "R6.1",
    ),
    "injury_decision": Period(
        60,
        CALENDAR,
        "acceptance; the days suspended awaiting a judicial or administrative conclusion "
        "do not count",
        "工伤保险条例 第二十条",
        "R6.1",
    ),
    "evidence_preservation": Period(
        7,
        WORKING,
        "the approved preservation (先行登记保存)",
        "行政处罚法 第五十六条、第八十五条",
        "R11.1",
    ),
    "information_reply": Period(
        20,
        WORKING,
        "receipt of the request to consult or copy records",
        "政府信息公开条例 第三十三条",
        "R19.1",
        20,
        "政府信息公开条例 第三十三条: once, approved",
    ),
    "archiving": Period(
        30,
        CALENDAR,
        "the end of the enforcement act",
        "金浦人社全过程记录规定 第十八条",
        "R18.1",
    ),
}
