"""What a bulk statement (``update()``, ``delete()``, ``insert()`` run through the session)
writes, read from its text without running anything: the values it sets, and the rows its
WHERE names. The listener (listener.py) turns them into groups and users; what cannot be read
here comes back unknown, and the listener then bumps the epoch."""

from __future__ import annotations

from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList

_UNKNOWN = None  # a value set by an expression: read as "cannot tell"


def written_values(state, stmt) -> dict[str, set]:
    """Columns an INSERT or UPDATE sets, with the values when they are plain parameters."""
    out: dict[str, set] = {}
    if getattr(stmt, "select", None) is not None:
        # INSERT … SELECT: a column filled from a plain parameter (``literal(x)``) is read;
        # one filled from a subquery or an expression is not.
        for name, selected in zip(stmt._select_names, stmt.select.selected_columns,
                                  strict=False):
            value = getattr(selected, "element", selected)
            out[name] = {value.effective_value if isinstance(value, BindParameter)
                         else _UNKNOWN}
        return out
    for key, value in (getattr(stmt, "_values", None) or {}).items():
        name = key if isinstance(key, str) else getattr(key, "name", str(key))
        out.setdefault(name, set()).add(
            value.effective_value if isinstance(value, BindParameter) else _UNKNOWN)
    params = state.parameters
    for row in (params if isinstance(params, list) else [params or {}]):
        for name, value in row.items():
            out.setdefault(name, set()).add(value)
    return out


def where_values(stmt, table: str) -> dict[str, set]:
    """Equalities and IN lists on the table's own columns at the top level of the WHERE (each
    narrows the rows, so any one bounds them); anything else is not read."""
    out: dict[str, set] = {}
    for part in _conjuncts(stmt.whereclause):
        if not isinstance(part, BinaryExpression) or not isinstance(part.right, BindParameter):
            continue
        column = part.left
        if getattr(getattr(column, "table", None), "name", None) != table:
            continue
        if part.operator is operators.eq:
            out.setdefault(column.name, set()).add(part.right.effective_value)
        elif part.operator is operators.in_op:
            out.setdefault(column.name, set()).update(part.right.effective_value or ())
    return out


def _conjuncts(clause):
    if clause is None:
        return
    if isinstance(clause, BooleanClauseList) and clause.operator is operators.and_:
        for inner in clause.clauses:
            yield from _conjuncts(inner)
    else:
        yield clause
