import subprocess
import sys

import pytest

from chalicelib.domain.flows.templating import RenderError, render, syntax_error

SCOPE = {"widgets": {"menu": {"Digits": "3", "Code": "007"}},
         "flow": {"data": {"a": 1, "b": "x"}, "variables": {"n": "abc", "count": "2"}}}


@pytest.mark.parametrize("template, expected", [
    ("{% if widgets.menu.Digits > 2 %}big{% endif %}", "big"),
    ("{% if widgets.menu.Digits == 3 %}num{% endif %}", "num"),
    ("{% if widgets.menu.Digits == '3' %}text{% endif %}", "text"),
    ("{% if widgets.menu.Code == '7' %}no{% else %}kept{% endif %}", "kept"),
    ("{% if widgets.menu.Code == 7 %}seven{% endif %}", "seven"),
    ("{% if widgets.menu.Digits < 10 and widgets.menu.Digits >= 3 %}in{% endif %}", "in"),
    ("{{ widgets.menu.Code }}", "007"),
    ("{{ widgets.menu.Code | plus: 1 }}", "8"),
    ("{{ flow.variables.count | minus: 1 }}", "1"),
])
def test_numeric_looking_strings_compare_as_numbers_against_numbers(template, expected):
    assert render(template, SCOPE) == expected


def test_undefined_variables_render_as_empty_as_in_studio():
    assert render("[{{ widgets.nothing.here }}]", SCOPE) == "[]"


def test_objects_render_as_json_as_in_studio():
    assert render("{{ flow.data }}", SCOPE) == '{"a":1,"b":"x"}'


def test_filters_and_tags_real_flows_use_render():
    template = ("{% assign x = '+15551234' | remove: '+' %}{{ x }} "
                "{% for i in (1..3) %}{{ i }}{% endfor %} {{ 'now' | date: '%Y' | size }}")
    assert render(template, SCOPE) == "15551234 123 4"


def test_comparing_text_with_a_number_is_a_render_error_not_a_crash():
    with pytest.raises(RenderError):
        render("{% if flow.variables.n > 2 %}x{% endif %}", SCOPE)


def test_syntax_error_reports_line_and_column():
    error = syntax_error("hello\n{% iff x %}{% endiff %}")

    assert error is not None
    assert (error.line, error.column) == (2, 3)
    assert "iff" in error.message


def test_syntax_error_at_end_of_template_points_at_the_end():
    error = syntax_error("hello\n  {% if a %}")

    assert error is not None and error.line == 2


def test_plain_text_never_imports_liquid():
    code = ("import sys\n"
            "from chalicelib.domain.flows.templating import render\n"
            "from chalicelib.domain.flows import engine\n"
            "assert render('Press 1 for sales', {}) == 'Press 1 for sales'\n"
            "assert 'liquid' not in sys.modules, 'liquid was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)
