#!/usr/bin/env python3
"""Rewrite `_("...")` into Odoo 18's `self.env._("...")` (pylint-odoo W8161).

Used by `scripts/lint --fix`; ruff format runs after it. It handles the two forms the
addon uses, and leaves anything else for a person to look at:
- a local alias `_ = <something>.env._` in a function: the calls use the expression
  itself and the alias line goes;
- `from odoo import _`: in a module that imports `request` (a controller) the call
  becomes `request.env._(…)`, elsewhere in a method (first argument `self`)
  `self.env._(…)`; the import of `_` goes once nothing uses it.
Usage: lint_env_translation.py FILE... (rewrites the files in place, prints what it changed)
"""

import ast
import re
import sys


def _alias_target(statement):
    """`<expr>.env._` if the statement is `_ = <expr>.env._`, else None."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == "_"
        and isinstance(statement.value, ast.Attribute)
        and statement.value.attr == "_"
        and isinstance(statement.value.value, ast.Attribute)
        and statement.value.value.attr == "env"
    ):
        return ast.unparse(statement.value)
    return None


def _calls_to_underscore(node):
    return [
        call
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "_"
    ]


def rewrite(source):
    tree = ast.parse(source)
    lines = source.encode().split(b"\n")
    replacements = {}  # (line index, byte column) -> expression replacing the name `_`
    removed_lines = set()
    handled = set()
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for function in functions:
        for statement in function.body:
            target = _alias_target(statement)
            if target:
                removed_lines.add(statement.lineno - 1)
                for call in _calls_to_underscore(function):
                    key = (call.func.lineno - 1, call.func.col_offset)
                    replacements[key] = target
                    handled.add(key)
    imports_underscore = [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module in ("odoo", "odoo.tools.translate")
        and any(alias.name == "_" and not alias.asname for alias in node.names)
    ]
    uses_request = re.search(r"^from odoo\.http import .*\brequest\b", source, re.M)
    if imports_underscore:
        for function in functions:
            args = function.args.posonlyargs + function.args.args
            if uses_request:  # a controller: `self` has no env there
                target = "request.env._"
            elif args and args[0].arg == "self":
                target = "self.env._"
            else:
                target = None
            if not target:
                continue
            for call in _calls_to_underscore(function):
                key = (call.func.lineno - 1, call.func.col_offset)
                if key not in handled:
                    replacements[key] = target
                    handled.add(key)
    if not replacements:
        return source
    for (line, column), target in sorted(replacements.items(), reverse=True):
        text = lines[line]
        assert text[column : column + 1] == b"_", (line + 1, text)
        lines[line] = text[:column] + target.encode() + text[column + 1 :]
    lines = [text for index, text in enumerate(lines) if index not in removed_lines]
    result = b"\n".join(lines).decode()
    remaining = [
        node
        for node in ast.walk(ast.parse(result))
        if isinstance(node, ast.Name) and node.id == "_"
    ]
    if imports_underscore and not remaining:
        result = re.sub(r"^(from odoo import )_, ", r"\1", result, flags=re.M)
        result = re.sub(r"^(from odoo import .*), _\b", r"\1", result, flags=re.M)
        result = re.sub(
            r"^from odoo(\.tools\.translate)? import _\n", "", result, flags=re.M
        )
    return result


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as file:
            source = file.read()
        result = rewrite(source)
        if result != source:
            with open(path, "w", encoding="utf-8") as file:
                file.write(result)
            print(f"self.env._: rewrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
