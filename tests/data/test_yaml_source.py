from __future__ import annotations

import pytest

from handbook.data.yaml_source import YamlSourceError, describe_guess, load_yaml


def _load(tmp_path, text):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, "file.yaml")


def test_duplicate_keys_name_both_lines(tmp_path):
    with pytest.raises(YamlSourceError) as caught:
        _load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert str(caught.value).startswith("file.yaml:3: the key `a` appears twice")
    assert "lines 1 and 3" in str(caught.value)


@pytest.mark.parametrize(
    "written, kind",
    [("01302737777", "a whole number (185319423)"), ("9:30", "a whole number (570)"),
     ("no", "true/false (False)"), ("1.5", "a decimal number (1.5)"), ("~", "an empty value")],
)
def test_unquoted_values_that_yaml_reinterprets_are_explained(tmp_path, written, kind):
    data, source = _load(tmp_path, f"x:\n  value: {written}\n")
    origin = source.scalars[("x", "value")]
    message = describe_guess(origin, data["x"]["value"])
    assert message.startswith(f"`{written}` is not in quotes, so YAML read it as {kind}")
    assert f'"{written}"' in message
    assert source.line_of(("x", "value")) == 2


def test_quoted_values_are_left_alone(tmp_path):
    data, source = _load(tmp_path, 'value: "01302737777"\n')
    assert data["value"] == "01302737777"
    assert describe_guess(source.scalars[("value",)], data["value"]) is None


def test_dates_stay_as_written(tmp_path):
    data, _ = _load(tmp_path, "when: 2026-11-23\n")
    assert data["when"] == "2026-11-23"


def test_syntax_errors_give_a_line(tmp_path):
    with pytest.raises(YamlSourceError) as caught:
        _load(tmp_path, "a:\n  - [1\n  b: 2\n")
    assert caught.value.line >= 2
    assert "not valid YAML" in caught.value.message


def test_custom_tags_are_refused(tmp_path):
    with pytest.raises(YamlSourceError) as caught:
        _load(tmp_path, "a: !!python/name:os.system x\n")
    assert "custom YAML tags" in caught.value.message or "not valid YAML" in caught.value.message
