"""One writer per table: a module may read any table, but writes only its own area's tables (through
that area's services). The areas are the packages under `learnbridge/`; a table belongs to the area whose
`models.py` (for `jobs`, `core/jobs.py`) maps it. Migrations are the one exception.

The scan is static (ast) and looks for what writes a table in this code base:
- Core statements: `insert(X)`, `update(X)`, `delete(X)` (also `postgresql.insert(X)` and the like) and
  `t.insert()` / `t.update()` / `t.delete()`, where X or t is a mapped class, `table_of(X)`, `X.__table__`
  or a local name bound to one of them;
- the ORM: constructing a mapped class `X(...)` (what `db.add` / `db.add_all` are given), `db.delete(x)`
  and `x.attr = ...` (also augmented and tuple assignments) where `x` is known to hold an X: a parameter
  annotated X, or a name bound to `db.get(X, ...)`, `X(...)` or the rows of a `select(X)`;
- SQL text: `INSERT INTO t`, `UPDATE t SET`, `DELETE FROM t`, `TRUNCATE t` in a string.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Table

from learnbridge import models
from learnbridge.core.db import Base

SRC = Path(models.__file__).parent
EXEMPT = ("migrations",)  # schema changes write every table
WRITE_CALLS = {"insert", "update", "delete"}  # also pg_insert, dialect_insert, ...
SQL_WRITE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+\"?(\w+)", re.I)


def _area_of_module(module: str) -> str:
    """learnbridge.records.service -> records; top-level modules (app, cli, jobs, models) -> ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else ""


@dataclass(frozen=True)
class Model:
    qualname: str  # "learnbridge.records.models.Completion"
    table: str
    owner: str
    columns: frozenset[str]


def _models() -> dict[str, Model]:
    found = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        qualname = f"{cls.__module__}.{cls.__name__}"
        columns = frozenset(mapper.attrs.keys())
        table = mapper.local_table
        assert isinstance(table, Table)
        found[qualname] = Model(qualname, table.name, _area_of_module(cls.__module__), columns)
    return found


MODELS = _models()
OWNER_OF_TABLE = {m.table: m.owner for m in MODELS.values()}


@dataclass(frozen=True)
class Write:
    module: str
    line: int
    table: str
    owner: str
    how: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} writes {self.table} (owned by {self.owner}) via {self.how}"


class _Scanner(ast.NodeVisitor):
    def __init__(self, module: str, models: dict[str, Model]) -> None:
        self.module = module
        self.models = models
        self.imported: dict[str, str] = {}  # local name -> qualified name
        self.bound: list[dict[str, Model]] = [{}]  # names known to hold a table / row of a model
        self.writes: list[Write] = []

    # -- names -------------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.imported[alias.asname] = alias.name
            else:
                first = alias.name.split(".")[0]
                self.imported[first] = first

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.rsplit(".", node.level)[0]
            base = f"{package}.{base}" if base else package
        for alias in node.names:
            self.imported[alias.asname or alias.name] = f"{base}.{alias.name}"

    def _qualified(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            if node.id in self.imported:
                return self.imported[node.id]
            return f"{self.module}.{node.id}"
        if isinstance(node, ast.Attribute):
            prefix = self._qualified(node.value)
            return f"{prefix}.{node.attr}" if prefix else None
        return None

    def model_class(self, node: ast.expr) -> Model | None:
        """The model a class reference names."""
        qualified = self._qualified(node)
        return self.models.get(qualified) if qualified else None

    def _lookup(self, name: str) -> Model | None:
        for scope in reversed(self.bound):
            if name in scope:
                return scope[name]
        return None

    def table(self, node: ast.expr) -> Model | None:
        """The model whose table an expression stands for: X, table_of(X), X.__table__, a bound name."""
        if isinstance(node, ast.Call) and _name(node.func) == "table_of" and node.args:
            return self.model_class(node.args[0])
        if isinstance(node, ast.Attribute) and node.attr == "__table__":
            return self.model_class(node.value)
        if isinstance(node, ast.Name) and (bound := self._lookup(node.id)) is not None:
            return bound
        return self.model_class(node)

    def row(self, node: ast.expr) -> Model | None:
        """The model whose rows an expression yields: X(...), db.get(X, ...), a query of select(X)."""
        if isinstance(node, ast.Name):
            return self._lookup(node.id)
        if not isinstance(node, ast.Call):
            return None
        if (model := self.model_class(node.func)) is not None:
            return model
        if _name(node.func) == "get" and node.args:
            return self.model_class(node.args[0])
        selects = [
            n for n in ast.walk(node) if isinstance(n, ast.Call) and _name(n.func) == "select" and n.args
        ]
        if len(selects) == 1 and len(selects[0].args) == 1:
            return self.model_class(selects[0].args[0])
        return None

    # -- scopes --------------------------------------------------------------------------------------
    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope: dict[str, Model] = {}
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if arg.annotation is not None and (model := self._annotated(arg.annotation)) is not None:
                scope[arg.arg] = model
        self.bound.append(scope)
        self.generic_visit(node)
        self.bound.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def _annotated(self, annotation: ast.expr) -> Model | None:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp):  # X | None
            return self._annotated(annotation.left) or self._annotated(annotation.right)
        return self.model_class(annotation)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned(node.target, None, node)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        if isinstance(node.target, ast.Name) and (model := self.row(node.iter)) is not None:
            self.bound[-1][node.target.id] = model
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, value: ast.expr | None, node: ast.stmt) -> None:
        # (A tuple assigned from a tuple pairs up: `a, r = Assignment, Requirement`.)
        if isinstance(target, ast.Tuple | ast.List):
            values: list[ast.expr | None] = (
                list(value.elts) if isinstance(value, ast.Tuple | ast.List) else []
            )
            if len(values) != len(target.elts):
                values = [None] * len(target.elts)
            for element, element_value in zip(target.elts, values, strict=True):
                self._assigned(element, element_value, node)
            return
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            model = self._lookup(target.value.id)
            if model is not None and target.attr in model.columns:
                self._flag(node, model, f"{target.value.id}.{target.attr} = ...")
            return
        if isinstance(target, ast.Name) and value is not None:
            model = self.table(value) if _is_table_expr(value) else self.row(value)
            model = model or self.model_class(value)  # an alias of the class: a = Assignment
            if model is not None:
                self.bound[-1][target.id] = model
            else:
                self.bound[-1].pop(target.id, None)

    # -- writes --------------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        if name in WRITE_CALLS and node.args and (model := self.table(node.args[0])) is not None:
            self._flag(node, model, f"{name}({model.qualname.rsplit('.', 1)[1]})")
        elif (
            name in WRITE_CALLS
            and isinstance(node.func, ast.Attribute)
            and not node.args
            and (model := self.table(node.func.value)) is not None
        ):
            self._flag(node, model, f"<table>.{name}()")
        elif name == "delete" and isinstance(node.func, ast.Attribute) and len(node.args) == 1:
            if (model := self.row(node.args[0])) is not None:
                self._flag(node, model, "db.delete(<row>)")
        elif (model := self.model_class(node.func)) is not None:
            self._flag(node, model, f"{model.qualname.rsplit('.', 1)[1]}(...)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            for table in SQL_WRITE.findall(node.value):
                if table in OWNER_OF_TABLE:
                    model = next(m for m in self.models.values() if m.table == table)
                    self._flag(node, model, f"SQL {node.value.strip()[:40]!r}")

    def _flag(self, node: ast.AST, model: Model, how: str) -> None:
        line = getattr(node, "lineno", 0)
        self.writes.append(Write(self.module, line, model.table, model.owner, how))


def _name(func: ast.expr) -> str | None:
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return "insert" if name and name.endswith("_insert") else name


def _is_table_expr(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and _name(node.func) == "table_of") or (
        isinstance(node, ast.Attribute) and node.attr == "__table__"
    )


def writes_in(source: str, module: str) -> list[Write]:
    """Every table write the scanner sees in a module's source."""
    scanner = _Scanner(module, MODELS)
    scanner.visit(ast.parse(source))
    return scanner.writes


def foreign_writes(source: str, module: str) -> list[Write]:
    """The writes of tables another area owns."""
    area = _area_of_module(module)
    return [w for w in writes_in(source, module) if w.owner != area]


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC.parent).with_suffix("")
        if relative.parts[1] in EXEMPT:
            continue
        yield ".".join(relative.parts).removesuffix(".__init__"), path


def test_every_table_has_an_owning_area() -> None:
    assert set(OWNER_OF_TABLE) == set(Base.metadata.tables)
    assert all(OWNER_OF_TABLE.values())


def test_no_module_writes_another_areas_table() -> None:
    found = [str(w) for module, path in _modules() for w in foreign_writes(path.read_text(), module)]
    assert found == []


def test_the_scan_sees_writes_of_an_areas_own_tables() -> None:
    """A check that the scan is looking: records writes each of its tables, push its assignments."""
    tables = {w.table for module, path in _modules() for w in writes_in(path.read_text(), module)}
    assert {"completions", "enrolments", "item_openings", "assignments", "assignment_cycles"} <= tables


FOREIGN = [
    (
        "from sqlalchemy import insert\nfrom learnbridge.records.models import Completion\n"
        "def f(db):\n    db.execute(insert(Completion), [])\n"
    ),
    (
        "from sqlalchemy import update\nfrom learnbridge.records.models import Completion\n"
        "def f(db):\n    db.execute(update(Completion).values(revoked_at=None))\n"
    ),
    (
        "from sqlalchemy.dialects import postgresql\nfrom learnbridge.core.db import table_of\n"
        "from learnbridge.records import models\n"
        "def f(db):\n    db.execute(postgresql.insert(table_of(models.Completion)).values({}))\n"
    ),
    (
        "from learnbridge.core.db import table_of\nfrom learnbridge.records.models import Enrolment\n"
        "def f(db, rows):\n    table = table_of(Enrolment)\n    db.execute(table.insert(), rows)\n"
    ),
    (
        "from learnbridge.records.models import ItemOpening\n"
        "def f(db):\n    db.add(ItemOpening(person_id=1, item_id=2))\n"
    ),
    (
        "from learnbridge.records.models import Completion\n"
        "def f(db, c: Completion):\n    c.revoked_at = None\n"
    ),
    (
        "from sqlalchemy import select\nfrom learnbridge.records.models import Completion\n"
        "def f(db):\n    for c in db.scalars(select(Completion)):\n        c.evidence, x = '', 1\n"
    ),
    (
        "from learnbridge.records.models import Completion\n"
        "def f(db):\n    c = db.get(Completion, 1)\n    db.delete(c)\n"
    ),
    (
        "from sqlalchemy import text\n"
        "def f(db):\n    db.execute(text('UPDATE completions SET evidence = 1'))\n"
    ),
]


@pytest.mark.parametrize("source", FOREIGN)
def test_a_write_of_another_areas_table_is_flagged(source: str) -> None:
    writes = foreign_writes(source, "learnbridge.push.fulfilment")
    assert [w.owner for w in writes] == ["records"]
    assert foreign_writes(source, "learnbridge.records.service") == []


def test_reads_are_not_writes() -> None:
    source = (
        "from sqlalchemy import select, update\nfrom learnbridge.records.models import Completion\n"
        "from learnbridge.push.models import Assignment\n"
        "def f(db, c: Completion):\n"
        "    rows = db.scalars(select(Completion).where(Completion.id == 1))\n"
        "    x = c.evidence\n    columns = []\n    columns.insert(0, x)\n"
        "    db.execute(update(Assignment).where(Assignment.completion_id == c.id).values(x=1))\n"
    )
    assert foreign_writes(source, "learnbridge.push.fulfilment") == []
