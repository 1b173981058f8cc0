"""The loader oracle: real Go builds loaded by a host that behaves like KrakenD's plugin loaders.

Pieces:

* ``modules``: the synthetic Go modules (a shared library, an x/sys stand-in, a lura-like
  framework, plugin-only libraries); ``proxy`` writes them as a deterministic ``file://`` GOPROXY.
* ``host/``: the Go host program (client, server and modifier loaders in KrakenD's order, exact
  registerer signatures, registration by name, config name checks) printing a JSON verdict.
* ``sources``: generates plugin ``main.go`` files and gateway configs from small options.
* ``scenarios``: the plugin repos as data, each with the verdict we expect.
* ``run``: builds the proxy, hosts and plugins with real toolchains (``tests.gotoolchain``),
  loads them and records the real verdicts under ``.cache/oracle/``.

Run it::

    python -m benchmarks.oracle.run                   # all scenarios, Markdown table at the end
    python -m benchmarks.oracle.run --ci              # the subset CI asserts (tests/oracle)
    python -m benchmarks.oracle.run --only race --force
    python -m benchmarks.accuracy [--go 1.22.10] [--subset N]   # linter vs real verdicts

Every build and verdict is cached by a hash of the scenario, the harness version, the proxy
content and the host, so a second run takes seconds. Each scenario is also materialized as a
plugin repo in ``.cache/oracle/repos/<name>/`` for running the linter by hand.
"""
