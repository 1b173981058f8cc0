"""Go ELF executables and ``-buildmode=plugin`` shared objects: what a KrakenD load check needs.

``read_go_binary(buffer, path)`` reads a KrakenD binary or a built plugin ``.so`` (bytes or an
mmap) and returns a frozen ``GoBinary``: ELF class, machine, Go architecture, kind, interpreter,
libc, ``DT_NEEDED``, the Go build info, the per-package link hashes and, for a plugin, its plugin
path and exported names. Bad input never raises; it becomes a ``Problem``.

## Where the facts live (checked on real builds with Go 1.22, 1.23 and 1.24, linux/amd64)

- **Build info**: the ``.go.buildinfo`` section (or, without section headers, the first 16-aligned
  ``\\xff Go buildinf:`` in a writable ``PT_LOAD``) starts with the 14-byte magic, a pointer size
  byte and a flags byte. With ``flags & 2`` (Go 1.18+) the Go version and the module info follow
  at offset 32 as uvarint-length-prefixed strings. Otherwise (Go 1.13-1.17) two pointers at offset
  16 (their size from the header, big endian when ``flags & 1``) lead to Go string headers (data
  pointer, length) holding ``runtime.buildVersion`` and ``runtime.modinfo``. The module info is
  framed by 16 sentinel bytes at each end (a newline precedes the closing one); inside are
  tab-separated lines ``path``, ``mod``, ``dep``, ``=>`` (replacement of the line before, followed
  by an empty line, as ``BuildInfo.String`` writes it) and ``build key=value``, where keys and
  values with spaces, tabs, newlines or quotes are Go-quoted. ``-trimpath`` builds leave
  ``-ldflags`` and the ``CGO_*`` flags out.
- **Package link hashes**: an executable that imports ``plugin`` and every plugin define, for each
  linked package, ``go:link.pkghashbytes.<pkg>`` (the 8-byte link fingerprint, in ``.rodata`` /
  ``.noptrdata``) and ``go:link.pkghash.<pkg>`` (a Go string header pointing at those bytes; in a
  ``.so`` its pointer is 0 in the file and filled by an ``R_*_64`` relocation against the
  pkghashbytes symbol). All are global dynamic symbols in ``.dynsym``, so they survive
  ``-ldflags "-s -w"``. ``<pkg>`` is the plain import path (``example.com/my.plug``). The plugin
  loader compares the plugin's recorded fingerprints with the host's ``go:link.pkghash.<pkg>``
  (resolved to the host's copy) and refuses the plugin on the first difference ("plugin was built
  with a different version of package internal/goarch" between 1.23 and 1.24; a host and a plugin
  that differ only in ``-trimpath`` differ there too). Between releases further apart (1.22 and
  1.23/1.24) the host dies first with "fatal error: runtime: no plugin module data".
- **Plugin path**: the local symbol ``go:link.thispluginpath`` (``.symtab`` only) holds it. It is
  the main package's import path escaped the way the linker prefixes symbols (a ``.`` after the
  last ``/``, ``%``, ``"``, spaces, control and non-ASCII bytes become ``%xx``:
  ``example.com/my%2eplug``), or ``plugin/unnamed-<sha1>`` when built from file arguments (build
  info ``path`` is then ``command-line-arguments``). Without ``.symtab`` it is recovered from the
  build info ``path`` (confirmed by its pkghash symbol) or from a ``plugin/unnamed-`` pkghash.
- **Exported names** (what ``plugin.Lookup`` finds): the linker writes ``go:plugin.tabs`` (local,
  ``.symtab`` only), an array of ``{nameOff int32, typeOff int32}``; ``nameOff`` is relative to
  ``runtime.types`` and points at an ``abi.Name`` (flag byte, uvarint length, bytes; a 2-byte
  big-endian length before Go 1.17). It lists exactly the exported package-level functions and
  variables of the plugin's main package. Every such name is also a global ``.dynsym`` symbol
  ``<pluginpath>.<Name>`` (a FUNC or an OBJECT), which is what a stripped plugin still has; methods
  (``<pluginpath>.T.M``), closures and ``..inittask`` have further dots and are not exports.
  ``exported_symbols_source`` says which of the two was read.

## Speed
pyelftools' structs decode the ELF, section and program headers; symbol tables are not
iterated through pyelftools (a KrakenD binary has ~10^5 symbols). Names are found with
``bytes.find`` in the string table and matched to entries through an ``array`` of ``st_name``
values, so only matching entries are decoded. ``.symtab`` is only searched for plugins (for the
plugin path and ``go:plugin.tabs``) or when ``.dynsym`` has no link hashes.
"""

from linter.inputs.gobinary.model import BUILDINFO_MAGIC, Buffer, GoBinary, ModInfo, Module
from linter.inputs.gobinary.modinfo import parse_modinfo, symbol_prefix
from linter.inputs.gobinary.opening import open_go_binary, read_go_binary

__all__ = [
    "BUILDINFO_MAGIC",
    "Buffer",
    "GoBinary",
    "ModInfo",
    "Module",
    "open_go_binary",
    "parse_modinfo",
    "read_go_binary",
    "symbol_prefix",
]
