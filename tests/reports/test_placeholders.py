"""Placeholders in the summary's text: substituted by a regex, never by Django's template engine."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports.default_text import default_text
from reports.metrics import LIST_PLACEHOLDERS
from reports.models import AnnualReport
from reports.placeholders import blocks, blocks_html, render_plain, round_down_approx, unknown_placeholders
from reports.selectors import annual_report_for
from reports.services import annual_report_save
from tests.reports.test_metrics import METRICS_MD

# The codes of METRICS.md alone (the seed's blanks), before those of docs/metrics-organizations.md.
SEED_CODES = re.findall(r"^\| `([a-z0-9_]+)` \|", METRICS_MD.read_text(encoding="utf-8"), re.M)


def test_values_are_substituted_and_formatted():
    values = {
        "orgs_total": 123,
        "oath_date": datetime.date(2021, 6, 28),
        "condolence_amount_wan": Decimal("0.4"),
    }
    text = "党组织{{ orgs_total }}个，{{oath_date}}宣誓，慰问金{{ condolence_amount_wan }}万元"
    assert render_plain(text, values) == "党组织123个，2021年6月28日宣誓，慰问金0.40万元"


@pytest.mark.parametrize(
    ("number", "shown"), [(1234, 1200), (1299, 1200), (567, 560), (100, 100), (87, 87), (0, 0)]
)
def test_round_down_for_yu(number, shown):
    assert round_down_approx(number) == shown


def test_yu_suffix():
    assert (
        render_plain(
            "培训{{ party_member_training_person_times|余 }}人次",
            {"party_member_training_person_times": 1234},
        )
        == "培训1200余人次"
    )


def test_list_placeholders_join_with_enumeration_comma():
    assert (
        render_plain(
            "（{{ lists_issued_numbers }}）",
            {"lists_issued_numbers": ["党工通〔2021〕3号", "党工通〔2021〕5号"]},
        )
        == "（党工通〔2021〕3号、党工通〔2021〕5号）"
    )


def test_unknown_placeholders_are_found():
    text = (
        "{{ orgs_total }} {{ request }} {{ orgs_totl }} {{ year|余 }} {% load static %} {{ orgs_total|余 }}"
    )
    assert unknown_placeholders(text) == ["{{ request }}", "{{ orgs_totl }}", "{{ year|余 }}"]


def test_template_syntax_stays_literal_and_escaped():
    values = {"orgs_total": 5}
    text = "一、{% load static %}标题\n正文{{ request.user }}<script>alert(1)</script>{{ orgs_total }}"
    html = blocks_html(blocks(text, values))
    assert "{% load static %}" in html
    assert "{{ request.user }}" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.endswith("5</p>")


def test_control_characters_and_word_paste_are_cleaned():
    html = blocks_html(blocks("正文\x00\x0b第一段\r\n\u200b第二段\u2028第三段", {}))
    assert html == "<p>正文第一段</p>\n<p>第二段</p>\n<p>第三段</p>"


def test_structure_headings_and_run_in_subsections():
    html = blocks_html(blocks("一、履职尽责方面\n（一）明职责。正文", {}))
    assert html == '<h2>一、履职尽责方面</h2>\n<p><span class="run-in">（一）明职责。</span>正文</p>'


def test_the_committees_default_text_has_every_metric_of_metrics_md_and_no_unknown(committee):
    text = default_text(committee)
    assert unknown_placeholders(text) == []
    for code in [*SEED_CODES, *LIST_PLACEHOLDERS]:
        assert "{{ " + code in text, code
    assert "xx" not in text and "XX" not in text
    sections = [line for line in text.splitlines() if line[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert len(sections) == 5


def test_saving_refuses_unknown_placeholders(committee, staff):
    with pytest.raises(ValidationError) as exc:
        annual_report_save(
            actor=staff, organization=committee, year=2021, title="总结", text="共{{ orgs_totl }}个"
        )
    assert "{{ orgs_totl }}" in exc.value.message_dict["text"][0]
    assert not AnnualReport.objects.exists()


def test_new_year_starts_from_previous_year_else_default(committee, staff):
    assert annual_report_for(committee, 2021).text == default_text(committee)
    annual_report_save(
        actor=staff, organization=committee, year=2021, title="2021总结", text="去年的正文{{ orgs_total }}"
    )
    fresh = annual_report_for(committee, 2022)
    assert fresh.pk is None and fresh.text == "去年的正文{{ orgs_total }}"
    assert fresh.title == "中共测试县委县直机关工委2022年工作总结"


def test_an_empty_list_takes_its_own_brackets_with_it():
    """The default text writes 撤销党组织{{ orgs_dissolved }}个（{{ orgs_dissolved_names }}）: with
    nothing dissolved it reads 撤销党组织0个, not 撤销了无（共0个） nor a bare 无 or （）."""
    from reports.placeholders import format_value

    text = "撤销党组织{{ orgs_dissolved }}个（{{ orgs_dissolved_names }}），新设立党支部{{ orgs_total }}个"
    values = {"orgs_dissolved": 0, "orgs_dissolved_names": [], "orgs_total": 2}
    assert render_plain(text, values) == "撤销党组织0个，新设立党支部2个"
    values = {"orgs_dissolved": 1, "orgs_dissolved_names": ["县自然资源局党总支部"], "orgs_total": 2}
    assert render_plain(text, values) == "撤销党组织1个（县自然资源局党总支部），新设立党支部2个"
    # A list written elsewhere than alone in brackets prints nothing when empty, never 无.
    assert render_plain("文号：{{ lists_issued_numbers }}。", {"lists_issued_numbers": []}) == "文号：。"
    assert format_value([]) == ""
    assert format_value(["党工通〔2021〕2号", "党工通〔2021〕3号"]) == "党工通〔2021〕2号、党工通〔2021〕3号"


def test_money_prints_two_decimals_rounded_half_up():
    """12,250.00 yuan is 1.225 万元 exactly (the workbook's value); the text prints 1.23."""
    values = {"condolence_amount_wan": Decimal("1.225")}
    assert render_plain("{{ condolence_amount_wan }}万元", values) == "1.23万元"
    assert (
        render_plain("{{ condolence_amount_wan }}", {"condolence_amount_wan": Decimal("0.414567")}) == "0.41"
    )
    assert render_plain("{{ condolence_amount_wan }}", {"condolence_amount_wan": Decimal("0.005")}) == "0.01"
