"""Safe arithmetic formulas over named metrics, e.g. ``closed_on_time / closed``.

Only numbers, metric names, + - * /, unary minus and parentheses are accepted: the text is parsed
with `ast` and walked, never evaluated by Python. A division by zero gives None ("no data"), so
an officer without closed cases is not scored 0 on timeliness.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

from core.errors import ValidationFailed

MAX_LENGTH = 300
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _refuse(reason: str) -> ValidationFailed:
    return ValidationFailed(
        _("The formula was refused: %(reason)s") % {"reason": reason},
        code="formula_invalid",
        field_errors={"formula": [reason]},
    )


def _check(node: ast.AST, names: set[str]) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body, names)
    elif isinstance(node, ast.BinOp):
        if not isinstance(node.op, _OPS):
            raise _refuse(_("only + - * / are allowed."))
        _check(node.left, names)
        _check(node.right, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _refuse(_("only + - * / are allowed."))
        _check(node.operand, names)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise _refuse(_("“%(value)s” is not a number.") % {"value": node.value})
    elif isinstance(node, ast.Name):
        if node.id not in names:
            raise _refuse(
                _("“%(name)s” is not a metric. Known metrics: %(known)s.")
                % {"name": node.id, "known": ", ".join(sorted(names))}
            )
    else:
        raise _refuse(_("only numbers, metric names, + - * / and parentheses are allowed."))


def parse(text: str, names: set[str]) -> ast.Expression:
    """The parsed formula; ValidationFailed (with the reason) when it is not a safe formula."""
    text = (text or "").strip()
    if not text:
        raise _refuse(_("it is empty."))
    if len(text) > MAX_LENGTH:
        raise _refuse(_("it is longer than %(n)d characters.") % {"n": MAX_LENGTH})
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _refuse(_("syntax error at character %(col)s.") % {"col": (exc.offset or 0)}) from None
    _check(tree, names)
    if not any(isinstance(n, ast.Name) for n in ast.walk(tree)):
        raise _refuse(_("it uses no metric, so it would give every department the same value."))
    return tree


def _eval(node: ast.AST, values: Mapping[str, Decimal]) -> Decimal | None:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return Decimal(values.get(node.id, 0))
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, values)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    assert isinstance(node, ast.BinOp)
    left, right = _eval(node.left, values), _eval(node.right, values)
    if left is None or right is None:
        return None
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    try:
        return left / right
    except (DivisionByZero, InvalidOperation):
        return None


def evaluate(tree: ast.Expression, values: Mapping[str, Decimal]) -> Decimal | None:
    """The formula's value for one subject (None when a division by zero leaves it undefined)."""
    return _eval(tree, values)
