"""The subcommands behind the CLI, one module each (``check``, ``rules`` for `rules` and `explain`,
``matrix``, ``reference``, ``fix``); each entry point takes the parsed arguments and returns an
exit code. ``exits`` holds the exit codes and ``UsageError``; ``options`` turns options into
``Settings``. ``linter.cli`` parses the command line and imports only the module it runs."""
