"""Formulas the teacher types, over the point's coordinates x1 and x2: a dataset's rule
(``x1*x2 > 0``), a regression dataset's value (``sin(x1)*cos(x2)``), an extra input feature
(``x1*x2^2``).

A small tokenizer and a recursive-descent parser turn the text into a tree of ``Node``s,
which NumPy evaluates over whole arrays of points. Nothing of the text is ever executed: the
only names are x1, x2, pi and the functions of FUNCTIONS, and the PyTorch export writes
its expression from the tree, not from the text. Every error is a ``FormulaError`` of one
line naming the position (counted from 1) where the formula went wrong.

Grammar, loosest binding first (``^`` binds tighter than a leading minus, as in maths, so
``-x1^2`` is -(x1^2), and groups to the right, so ``2^3^2`` is 2^9)::

    rule       := either
    either     := both ("or" both)*
    both       := comparison ("and" comparison)*
    comparison := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]
    sum        := product (("+" | "-") product)*
    product    := signed (("*" | "/") signed)*
    signed     := ("-" | "+") signed | power
    power      := atom ["^" signed]
    atom       := number | x1 | x2 | pi | function "(" sum ")" | "(" sum ")"

Comparisons (and "and"/"or") stand only at the top: brackets hold a value. ``**``, and the
signs − × ÷ · ≤ ≥ ≠ are read as ^, -, *, /, *, <=, >=, !=.
"""
import math
import re
from dataclasses import dataclass

import numpy as np

from .config import PLANE


class FormulaError(ValueError):
    """A formula that cannot be used; the message is one line starting "formula: "."""

    def __init__(self, message):
        super().__init__(f"formula: {message}")


#: The functions a formula may call; each is NumPy's and torch's function of the same name.
FUNCTIONS = {"sin": np.sin, "cos": np.cos, "exp": np.exp, "abs": np.abs, "sqrt": np.sqrt}
VARIABLES = ("x1", "x2")
CONSTANTS = {"pi": math.pi}
ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
COMPARISONS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
               "==": np.equal, "!=": np.not_equal}
LOGIC = {"and": np.logical_and, "or": np.logical_or}
#: How tightly each operator binds: the printer brackets a looser one inside a tighter one.
BINDING = {"or": 1, "and": 2, **dict.fromkeys(COMPARISONS, 3), "+": 4, "-": 4, "*": 5, "/": 5,
           "sign": 6, "^": 7}
ATOM = 8
MAX_LENGTH = 300        # characters of a formula
MAX_DEPTH = 40          # nested brackets, signs and powers
#: the plane is checked at this many points per axis (a step of 0.1, so 0 and whole numbers
#: are among them: 1/x1 or sqrt(x1) shows its trouble)
CHECK_POINTS = 121

_SPELLINGS = {"**": "^", "−": "-", "×": "*", "·": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!="}
_TOKEN = re.compile(r"""\s*(?:
    (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<op>\*\*|<=|>=|==|!=|[-+*/^()<>−×·÷≤≥≠])
  | (?P<end>$))""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str           # "number", "name", "op" or "end"
    text: str           # ops in their ASCII spelling
    position: int       # of the first character, counted from 1


def tokens(text):
    """The Tokens of ``text`` one by one, ending with an "end" token; FormulaError at a
    character that starts no token (read only when the parser gets there, so an error names
    the first thing wrong)."""
    at = 0
    while True:
        match = _TOKEN.match(text, at)
        if match is None:
            at = len(text) - len(text[at:].lstrip())
            raise FormulaError(f"unexpected character {text[at]!r} at position {at + 1}")
        kind = match.lastgroup
        value = match.group(kind)
        yield Token(kind, _SPELLINGS.get(value, value), match.start(kind) + 1)
        if kind == "end":
            return
        at = match.end()


# -- the tree -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    """One operation of a formula: ``op`` is "number", "variable" (x1, x2 or pi), a function
    name, "sign" (a leading minus or plus, in ``name``), or an operator of ARITHMETIC,
    COMPARISONS or LOGIC; ``args`` are its operands."""
    op: str
    args: tuple = ()
    name: str = ""
    value: float = 0.0

    @property
    def binding(self):
        return BINDING.get(self.op, ATOM)


def _evaluate(node, x1, x2):
    if node.op == "number":
        return np.float64(node.value)
    if node.op == "variable":
        return {"x1": x1, "x2": x2}.get(node.name, CONSTANTS.get(node.name))
    values = [_evaluate(arg, x1, x2) for arg in node.args]
    if node.op == "sign":
        return np.negative(values[0]) if node.name == "-" else values[0]
    if node.op in FUNCTIONS:
        return FUNCTIONS[node.op](values[0])
    return {**ARITHMETIC, **COMPARISONS, **LOGIC}[node.op](*values)


def _number_text(value):
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _text(node):
    """``node`` as text with only the brackets it needs (which parses back to ``node``)."""
    if node.op == "number":
        return _number_text(node.value)
    if node.op == "variable":
        return node.name
    if node.op in FUNCTIONS:
        return f"{node.op}({_text(node.args[0])})"
    if node.op == "sign":
        return node.name + _bracketed(node.args[0], node.args[0].binding < node.binding)
    left, right = node.args
    if node.op == "^":          # groups to the right; a signed exponent needs no brackets
        return (_bracketed(left, left.binding <= node.binding) + "^"
                + _bracketed(right, right.binding < BINDING["sign"]))
    space = "" if node.op in "*/" else " "
    return (_bracketed(left, left.binding < node.binding) + f"{space}{node.op}{space}"
            + _bracketed(right, right.binding <= node.binding))


def _bracketed(node, needed):
    return f"({_text(node)})" if needed else _text(node)


def _torch(node):
    """``node`` as a PyTorch expression over the tensors x1, x2; every number becomes
    ``c(value)``, a float64 tensor, so constants follow torch's (and NumPy's) arithmetic."""
    if node.op == "number":
        return f"c({float(node.value)!r})"
    if node.op == "variable":
        return node.name if node.name in VARIABLES else f"c({CONSTANTS[node.name]!r})"
    if node.op in FUNCTIONS:
        return f"torch.{node.op}({_torch(node.args[0])})"
    if node.op == "sign":
        return f"({node.name}{_torch(node.args[0])})"
    if node.op in ARITHMETIC:
        python = "**" if node.op == "^" else node.op
        return f"({_torch(node.args[0])} {python} {_torch(node.args[1])})"
    raise ValueError(f"a {node.op!r} is no input column")


def _uses_a_variable(node):
    return (node.op == "variable" and node.name in VARIABLES) or any(map(_uses_a_variable, node.args))


# -- the parser ---------------------------------------------------------------------------
class _Parser:
    def __init__(self, text):
        self.tokens = tokens(text)
        self.next = next(self.tokens)      # the token to look at
        self.depth = 0

    def take(self):
        token, self.next = self.next, (next(self.tokens) if self.next.kind != "end" else self.next)
        return token

    def unexpected(self):
        token = self.next
        what = "end of the formula" if token.kind == "end" else repr(token.text)
        raise FormulaError(f"unexpected {what} at position {token.position}")

    def expect(self, text):
        if self.next.text != text:
            self.unexpected()
        self.take()

    def close_bracket(self):
        token = self.next
        if token.text in COMPARISONS:
            raise FormulaError(f"comparison {token.text!r} at position {token.position} must "
                               "stand at the top of the formula, not inside brackets")
        self.expect(")")

    def rule(self):
        node = self.either()
        if self.next.kind != "end":
            self.unexpected()
        return node

    def chain(self, ops, operand):
        """operand (op operand)* for ``ops``, grouped to the left."""
        node = operand()
        while self.next.text in ops:
            op = self.take().text
            node = Node(op, (node, operand()))
        return node

    def either(self):
        return self.chain(("or",), self.both)

    def both(self):
        return self.chain(("and",), self.comparison)

    def comparison(self):
        node = self.sum()
        if self.next.text in COMPARISONS:
            op = self.take().text
            node = Node(op, (node, self.sum()))
        return node

    def sum(self):
        return self.chain(("+", "-"), self.product)

    def product(self):
        return self.chain(("*", "/"), self.signed)

    def signed(self):
        """Every nesting (brackets, signs, exponents) passes here, so here is its limit."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"nested more than {MAX_DEPTH} deep at position {self.next.position}")
        if self.next.text in ("-", "+"):
            sign = self.take().text
            node = Node("sign", (self.signed(),), name=sign)
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self):
        node = self.atom()
        if self.next.text == "^":
            self.take()
            node = Node("^", (node, self.signed()))
        return node

    def atom(self):
        token = self.next
        if token.kind == "number":
            value = float(token.text)
            if not math.isfinite(value):
                raise FormulaError(f"number {token.text} at position {token.position} is too large")
            self.take()
            return Node("number", value=value)
        if token.kind == "name":
            if token.text not in (*VARIABLES, *CONSTANTS, *FUNCTIONS):
                raise FormulaError(
                    f"unknown name {token.text[:20]!r} at position {token.position} (use x1, x2, "
                    f"pi, numbers and {', '.join(FUNCTIONS)})")
            self.take()
            if token.text not in FUNCTIONS:
                return Node("variable", name=token.text)
            self.expect("(")
            node = Node(token.text, (self.sum(),))
            self.close_bracket()
            return node
        if token.text == "(":
            self.take()
            node = self.sum()
            self.close_bracket()
            return node
        self.unexpected()


# -- formulas -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Formula:
    """A parsed formula: its ``tree`` and its canonical ``text`` (what is saved). Its
    ``kind`` is "rule" (a comparison: true or false at each point) or "value"."""
    text: str
    tree: Node

    @property
    def kind(self):
        return "rule" if self.tree.op in COMPARISONS or self.tree.op in LOGIC else "value"

    def __call__(self, x1, x2):
        """The formula at points (x1, x2), arrays of one shape: floats for a value, bools for
        a rule. A value may be inf or nan (``check_plane`` refuses such formulas)."""
        x1, x2 = np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64)
        with np.errstate(all="ignore"):
            out = _evaluate(self.tree, x1, x2)
        return np.broadcast_to(out, np.broadcast(x1, x2).shape).copy()

    def torch(self):
        """The value as a PyTorch expression over float64 tensors x1 and x2 (and ``c``, a
        function making a float64 tensor of a number)."""
        return _torch(self.tree)

    def values(self):
        """The values the formula computes on its way to its result (for a rule, both sides
        of every comparison), as trees."""
        if self.kind == "value":
            return [self.tree]
        parts, todo = [], [self.tree]
        while todo:
            node = todo.pop()
            (todo if node.op in LOGIC else parts).extend(node.args)
        return parts

    def check_plane(self):
        """This formula, or FormulaError if a value it computes is not finite somewhere on
        the plane [-6, 6]^2 (checked on ``plane_grid()``)."""
        x1, x2 = plane_grid()
        for part in self.values():
            with np.errstate(all="ignore"):
                value = np.broadcast_to(_evaluate(part, x1, x2), x1.shape)
            bad = ~np.isfinite(value)
            if bad.any():
                k = np.flatnonzero(bad)[0]
                raise FormulaError(f"{self.text} is not a finite number at x1 = "
                                   f"{x1.flat[k]:.3g}, x2 = {x2.flat[k]:.3g}")
        return self


def plane_grid():
    """(x1, x2): the points of a grid over the plane of CHECK_POINTS x CHECK_POINTS points,
    where formulas are checked."""
    axis = np.linspace(-PLANE, PLANE, CHECK_POINTS)
    return np.meshgrid(axis, axis)


def parse(text, kind=None):
    """The Formula of ``text``, or FormulaError; with ``kind`` ("rule" or "value") a formula
    of the other kind is an error too. The formula must use x1 or x2 and be finite all over
    the plane."""
    if not isinstance(text, str):
        raise FormulaError("must be text")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"{len(text):,} characters; at most {MAX_LENGTH} fit")
    if not text.strip():
        raise FormulaError("is empty")
    tree = _Parser(text).rule()
    formula = Formula(_text(tree), tree)
    if not _uses_a_variable(tree):
        raise FormulaError(f"{formula.text} uses neither x1 nor x2")
    if kind == "rule" and formula.kind != "rule":
        raise FormulaError(f"{formula.text} is a value; a class rule compares, e.g. x1*x2 > 0")
    if kind == "value" and formula.kind != "value":
        raise FormulaError(f"{formula.text} compares; a value formula has no comparison, "
                           "e.g. sin(x1)*cos(x2)")
    return formula.check_plane()
