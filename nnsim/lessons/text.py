"""Every user-visible string of nnsim, looked up by key: ``_("toast.saved", path=p)``.

The catalogues are gettext ``.po`` files in locale/ next to this module, one per language
(``en.po`` is the English source: msgid the key, msgstr the text). ``_`` returns the active
language's text for a key, falling back to English, with ``str.format`` fields filled in.
Views call it when they draw, never at import, so a language switch shows at once.
The language is chosen by ``--lang``, else (in the app) the one last chosen there, else the
system's locale (``system_language``). The terms of the translations are in glossary.md.
"""
import locale
import os
from functools import cache
from importlib import resources

SOURCE = "en"                  # the source catalogue: every key is in it
FOLDER = resources.files(__package__) / "locale"
_ESCAPES = {"n": "\n", '"': '"', "\\": "\\"}
_active = SOURCE


class CatalogueError(ValueError):
    """A malformed catalogue; the message names the file and the line."""


def _unquote(token, where):
    """The text of one quoted .po string ``"..."``, its escapes resolved."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise CatalogueError(f"{where}: expected a quoted string, got {token!r}")
    out, i, body = [], 0, token[1:-1]
    while i < len(body):
        c = body[i]
        if c == '"':
            raise CatalogueError(f'{where}: unescaped " inside a string')
        if c == "\\":
            if i + 1 == len(body) or body[i + 1] not in _ESCAPES:
                raise CatalogueError(f"{where}: unknown escape {body[i:i + 2]!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse(source, name):
    """``{msgid: msgstr}`` of .po text ``source`` (file ``name``, for errors): comments,
    msgid and msgstr with continuation lines; anything else is a CatalogueError. The header
    (msgid "") is left out."""
    entries, field, entry, start = {}, None, {}, 0

    def finish():
        if not entry:
            return
        if set(entry) != {"msgid", "msgstr"}:
            raise CatalogueError(f"{name}:{start}: an entry needs a msgid and a msgstr")
        if entry["msgid"] in entries:
            raise CatalogueError(f"{name}:{start}: msgid {entry['msgid']!r} appears twice")
        if entry["msgid"]:
            entries[entry["msgid"]] = entry["msgstr"]
        entry.clear()

    for line_no, line in enumerate(source.splitlines(), 1):
        where = f"{name}:{line_no}"
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            if field is None:
                raise CatalogueError(f"{where}: a continuation line outside an entry")
            entry[field] += _unquote(line, where)
            continue
        keyword, _space, rest = line.partition(" ")
        if keyword == "msgid":
            finish()
            start = line_no
        elif keyword != "msgstr" or "msgid" not in entry or "msgstr" in entry:
            raise CatalogueError(f"{where}: unexpected {keyword!r}")
        field = keyword
        entry[field] = _unquote(rest.strip(), where)
    finish()
    return entries


@cache
def catalogue(code):
    """The entries of language ``code``'s catalogue, read once."""
    path = FOLDER / f"{code}.po"
    return parse(path.read_text("utf-8"), f"{code}.po")


def languages():
    """The codes of the languages there are catalogues for."""
    return sorted(e.name.removesuffix(".po") for e in FOLDER.iterdir() if e.name.endswith(".po"))


def set_language(code):
    """Show the texts of language ``code`` from now on; ValueError naming the choices."""
    global _active
    if code not in languages():
        raise ValueError(f"no language {code!r}; the languages are {', '.join(languages())}")
    catalogue(code)              # a malformed catalogue fails here, not mid-frame
    _active = code


def language():
    """The code of the language shown."""
    return _active


def system_language(environ=os.environ):
    """The code of the system locale's language if there is a catalogue for it, else
    English: the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set (POSIX's order),
    else ``locale.getlocale()``; ``de_DE.UTF-8`` is de, ``es_MX`` es, ``C`` en."""
    tag = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)),
               None) or locale.getlocale()[0] or ""
    code = tag.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in languages() else SOURCE


def next_language():
    """The code of the language after the one shown (the in-app switch cycles them)."""
    codes = languages()
    return codes[(codes.index(_active) + 1) % len(codes)]


def keys():
    """The keys of the source catalogue: every text nnsim shows."""
    return tuple(catalogue(SOURCE))


def _(key, **values):
    """The text of ``key`` in the active language (English where it has none), its
    ``{fields}`` filled from ``values``; KeyError for a key no catalogue has."""
    text = catalogue(_active).get(key) or catalogue(SOURCE)[key]
    return text.format(**values)


def lookup(text):
    """``text`` itself, or the catalogue's text when ``text`` is one of its keys: the
    shipped lessons name keys, a teacher's own lesson file has its words."""
    return _(text) if text in catalogue(SOURCE) else text


def shown_name(kind, name):
    """The shown name of ``name`` in one of the engine's tables (``kind`` "dataset",
    "activation", "optimizer" or "speed") or of a theme ("theme"): the catalogue's
    ``kind.name``."""
    return _(f"{kind}.{name}")
