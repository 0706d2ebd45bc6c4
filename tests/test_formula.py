"""The formula parser: precedence, every function, canonical text, and hostile strings, each
a one-line FormulaError and never executed."""
import math

import numpy as np
import pytest
from helpers import torch_or_skip

from nnsim.core.formula import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, FormulaError, _Parser, parse

X1 = np.array([-5.5, -2.0, -0.3, 0.7, 1.5, 4.0])
X2 = np.array([3.0, -1.25, 0.5, -4.0, 2.2, 0.1])


@pytest.mark.parametrize("text, expected", [
    ("1 + 2*x1", 1 + 2 * X1),
    ("x1 - x2 - 1", (X1 - X2) - 1),                      # minus groups to the left
    ("x1/(x2^2 + 1)/2", (X1 / (X2 ** 2 + 1)) / 2),     # and so does division
    ("-x1^2", -(X1 ** 2)),                               # ^ binds tighter than a sign
    ("(-x1)^2", X1 ** 2),
    ("2^3^x1", 2.0 ** (3.0 ** X1)),                      # ^ groups to the right
    ("2^-x1", 2.0 ** -X1),
    ("x1*x2^2", X1 * X2 ** 2),
    ("-x1*x2 + x2", (-X1) * X2 + X2),
    ("x1 − 2×x2 ÷ 4", X1 - 2 * X2 / 4),                  # the typeset signs
    ("x1**2", X1 ** 2),
    ("pi*x1", math.pi * X1),
    ("--x1", X1),
    ("+x1", X1),
    (".5e1*x1", 5.0 * X1),
])
def test_precedence_and_grouping(text, expected):
    np.testing.assert_allclose(parse(text)(X1, X2), expected, rtol=1e-15)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_is_numpys(name):
    f = parse(f"{name}(abs(x1)/3 + x2^2/40)")
    np.testing.assert_array_equal(f(X1, X2), getattr(np, name)(np.abs(X1) / 3 + X2 ** 2 / 40))


@pytest.mark.parametrize("text, expected", [
    ("x1*x2 > 0", X1 * X2 > 0),
    ("x1^2 + x2^2 < 9", X1 ** 2 + X2 ** 2 < 9),
    ("sin(x1) > x2", np.sin(X1) > X2),
    ("x1 <= 0.7", X1 <= 0.7), ("x1 >= 0.7", X1 >= 0.7), ("x1 ≤ 0.7", X1 <= 0.7),
    ("x1 == 0.7", X1 == 0.7), ("x1 != 0.7", X1 != 0.7), ("x1 ≠ 0.7", X1 != 0.7),
    ("x1 > 0 and x2 > 0 or x1 < -5", ((X1 > 0) & (X2 > 0)) | (X1 < -5)),   # and before or
    ("x1 < -5 or x1 > 0 and x2 > 0", (X1 < -5) | ((X1 > 0) & (X2 > 0))),
])
def test_rules_compare(text, expected):
    f = parse(text)
    assert f.kind == "rule"
    np.testing.assert_array_equal(f(X1, X2), expected)


@pytest.mark.parametrize("text, canonical", [
    ("x1*x2>0", "x1*x2 > 0"),
    ("  x1 ^ 2+x2^2 <9 ", "x1^2 + x2^2 < 9"),
    ("(x1)*((x2))", "x1*x2"),
    ("x1-(x2-1)", "x1 - (x2 - 1)"),
    ("(x1-x2)-1", "x1 - x2 - 1"),
    ("(2^3)^x1", "(2^3)^x1"),
    ("-(x1+1)", "-(x1 + 1)"),
    ("2^(x1*x2)", "2^(x1*x2)"),
    ("x1 * -x2", "x1*-x2"),
    ("0.50*x1", "0.5*x1"),
    ("1e20*x1", "1e+20*x1"),
])
def test_canonical_text_reads_back_as_the_same_formula(text, canonical):
    f = parse(text)
    assert f.text == canonical
    assert parse(f.text).tree == f.tree


def test_kinds_are_checked_when_asked():
    assert parse("sin(x1)*cos(x2)", "value").kind == "value"
    with pytest.raises(FormulaError, match="is a value; a class rule compares"):
        parse("sin(x1)*cos(x2)", "rule")
    with pytest.raises(FormulaError, match="compares; a value formula has no comparison"):
        parse("x1 > 0", "value")


HOSTILE = [
    ("x1.__class__", "unexpected character '.' at position 3"),
    ("__import__('os').system('true')", "unknown name '__import__' at position 1"),
    ("__import__(x1)", "unknown name '__import__' at position 1"),
    ("eval(x1)", "unknown name 'eval' at position 1"),
    ("log(x1)", "unknown name 'log' at position 1"),
    ("x1(2)", "unexpected '(' at position 3"),
    ("sin(x1)(x2)", "unexpected '(' at position 8"),
    ("sin x1", "unexpected 'x1' at position 5"),
    ("x1; x2", "unexpected character ';' at position 3"),
    ("lambda: x1", "unknown name 'lambda' at position 1"),
    ("[x1]", "unexpected character '[' at position 1"),
    ("x1 if x2 else 1", "unexpected 'if' at position 4"),
    ("(" * 5000 + "x1" + ")" * 5000, "10,002 characters; at most 300 fit"),
    ("(" * (MAX_DEPTH + 1) + "x1" + ")" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} deep"),
    ("-" * 100 + "x1", f"nested more than {MAX_DEPTH} deep"),
    ("9^9^9*x1", "9^9^9*x1 is not a finite number at x1 = -6, x2 = -6"),
    ("x1^1e300", "x1^1e+300 is not a finite number"),
    ("exp(x1*x2*100)", "is not a finite number"),
    ("1e999*x1", "number 1e999 at position 1 is too large"),
    ("1/x1", "1/x1 is not a finite number at x1 = 0"),
    ("x2 > sqrt(x1)", "sqrt(x1) is not a finite number at x1 = -6"),
    ("(x1 > 0)", "comparison '>' at position 5 must stand at the top"),
    ("x1 > 0 > 1", "unexpected '>' at position 8"),
    ("x1 = 2", "unexpected character '=' at position 4"),
    ("x1 +", "unexpected end of the formula at position 5"),
    ("2 x1", "unexpected 'x1' at position 3"),
    ("()", "unexpected ')' at position 2"),
    ("x1*x2 )", "unexpected ')' at position 7"),
    ("3 > 2", "3 > 2 uses neither x1 nor x2"),
    ("", "is empty"),
    ("x1 \x00", "unexpected character '\\x00' at position 4"),
]


@pytest.mark.parametrize("text, message", HOSTILE, ids=[t[:20] for t, _ in HOSTILE])
def test_hostile_strings_are_one_line_errors(text, message):
    with pytest.raises(FormulaError) as info:
        parse(text)
    text = str(info.value)
    assert text.startswith("formula: ") and message in text and "\n" not in text


def test_the_depth_limit_holds_without_the_length_limit():
    """5,000 nested brackets reach the parser's own limit, not Python's recursion limit."""
    deep = "(" * 5000 + "x1" + ")" * 5000
    with pytest.raises(FormulaError, match=f"nested more than {MAX_DEPTH} deep at position {MAX_DEPTH + 1}"):
        _Parser(deep).rule()
    depth = MAX_DEPTH - 1       # a signed inside the brackets counts too
    assert parse("(" * depth + "x1" + ")" * depth).text == "x1"
    assert len("(" * depth + "x1" + ")" * depth) < MAX_LENGTH


def test_a_formula_is_never_run_as_python(monkeypatch):
    import builtins
    monkeypatch.setattr(builtins, "eval", None)
    monkeypatch.setattr(builtins, "exec", None)
    monkeypatch.setattr(builtins, "compile", None)
    assert parse("x1*x2 > 0").kind == "rule"


def test_non_text_is_refused():
    with pytest.raises(FormulaError, match="must be text"):
        parse(3)


def test_the_torch_expression_computes_the_same_values():
    torch = torch_or_skip()
    for text in ("x1*x2^2", "-x1^2 + sin(x2)", "2^-x1/3", "sqrt(abs(x1))*exp(cos(x2))",
                 "pi*x1 - (x2 - 1)", "(-x1)^3"):
        f = parse(text)
        env = {"torch": torch, "x1": torch.tensor(X1), "x2": torch.tensor(X2),
               "c": lambda v: torch.tensor(v, dtype=torch.float64)}
        got = eval(f.torch(), env)      # our own printer's output, not the user's text
        np.testing.assert_allclose(got.numpy(), f(X1, X2), rtol=1e-14, atol=0)
