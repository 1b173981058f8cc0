"""`reference pull` and `reference show` as text: what each release's pull did, and which reference
would be used with every fact and where it came from."""

from __future__ import annotations

from linter.krakend.cache_report import PullReport, ReferenceShow


def render_pull(report: PullReport) -> str:
    lines = []
    for r in report.results:
        lines.append(f"{r.version}: {r.status}" + (f" ({r.path})" if r.path else ""))
        lines += [f"  {n.kind}: {n.message}" + (f" ({n.hint})" if n.hint else "") for n in r.notices]
    return "\n".join(lines)


def render_reference(shown: ReferenceShow) -> str:
    data = shown.as_dict()
    source = "the data embedded in krakend-plugin-lint" if data["source"] == "embedded" else data["source"]
    head = (f"KrakenD {data['krakend_version'] or '(unknown)'}: "
            + (f"reference from {source} ({data['origin']})" if data["available"] else "no reference"))
    lines = [head]
    width = max((len(f["name"]) for f in data["facts"]), default=0)
    lines += [f"  {f['name']:<{width}}  {f['value']}  [{f['source']}]" for f in data["facts"]]
    lines += [f"  note: {n['message']}" + (f"\n        {n['hint']}" if n["hint"] else "") for n in data["notices"]]
    lines.append(f"  cache: {data['cache_path'] or data['cache_dir']}")
    return "\n".join(lines)
