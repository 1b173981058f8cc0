"""An upgrade plan (``linter.krakend.upgrade``) as the lines `check --target-version` and `matrix
--upgrade-to` print: the Go and builder to use, then each edit with where its number comes from."""

from __future__ import annotations

from linter.krakend.upgrade import UpgradePlan


def render_upgrade(plan: UpgradePlan) -> str:
    lines = [f"to move to KrakenD {plan.version}: build with Go {plan.go_version} in "
             f"{plan.builder_image or plan.go_image}"]
    for e in plan.gomod_edits:
        lines.append(f"  {e.path}:{e.line}: " + ("delete the line" if e.delete else f"-> {e.replacement.strip()}")
                     + f"  ({e.reason})")
    lines += [f"  {a.path}: add `{a.text}`  ({a.reason})" for a in plan.gomod_additions]
    lines += [f"  {d.path}:{d.line}: {d.old_image} -> {d.new_image}  ({d.reason})" for d in plan.docker_edits]
    lines += [f"  {e.path}:{e.line}: -> {e.replacement.strip()}  ({e.reason})" for e in plan.text_edits]
    lines += [f"  then run: {c}" for c in plan.commands]
    lines += [f"  note: {n}" for n in plan.notes]
    return "\n".join(lines)
