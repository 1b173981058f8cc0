"""KrakenD's plugin contracts and how its loaders see a plugin.

``definitions`` holds the contracts as data (symbols, required and optional methods, namespaces);
``failures`` what KrakenD and Go print when a plugin does not load; ``registerer`` applies the
contracts to one Go package the way the loader would; ``names`` evaluates the names a registerer
registers; ``source`` is a workspace's plugin packages as the loaders see them; ``config`` finds the
plugin namespaces of a gateway config.
"""
