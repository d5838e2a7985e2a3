"""A labelled multilingual set for `millrace bench langid`, made from Debian's translated manual pages.

Usage: /usr/bin/python3 scripts/langid_eval_set.py OUT.jsonl

Each line of OUT.jsonl is {"language": ISO 639-1 code, "length": "short" | "long", "source": the
manual page, "text": ...}: per language, 60 short texts (the first ~100 characters of a paragraph)
and 20 long ones (~2,000 characters: consecutive paragraphs of one page). The label is the language
of the package the page comes from (manpages-de is German); English comes from Debian's `manpages`.
Only prose is kept: body paragraphs whose characters are mostly letters, without option lines,
each once per language (footers repeat). So that the labels are right, a translated paragraph is
dropped when it is also in the English page of the same name (a sentence left untranslated), when
one word in seven is an English function word, or, for Greek, Russian, Ukrainian, Japanese and
Chinese, when most of its letters are Latin.

The pages are rendered by man-db and groff (no hyphenation, no justification, 100 columns), and
chosen in a fixed pseudo-random order, so the same package versions give the same file. It installs
the packages below with apt-get when they are missing, and prints their versions to stderr: the
versions docs/benchmarks.md names.
"""

import json
import os
import random
import re
import subprocess
import sys

# ISO 639-1 code -> Debian package (and the folder under /usr/share/man it fills).
PACKAGES = {
    "en": "manpages",
    "de": "manpages-de",
    "fr": "manpages-fr",
    "es": "manpages-es",
    "it": "manpages-it",
    "nl": "manpages-nl",
    "sv": "manpages-sv",
    "pl": "manpages-pl",
    "pt": "manpages-pt-br",
    "ro": "manpages-ro",
    "fi": "manpages-fi",
    "hu": "manpages-hu",
    "tr": "manpages-tr",
    "id": "manpages-id",
    "vi": "manpages-vi",
    "el": "manpages-el",
    "ru": "manpages-ru",
    "uk": "manpages-uk",
    "ja": "manpages-ja",
    "zh": "manpages-zh",
}
SHORT_PER_LANGUAGE = 60
LONG_PER_LANGUAGE = 20
SHORT_CHARS = 100
LONG_CHARS = 2000
SHORT_PER_PAGE = 3
MAX_PAGES = 400


def installed_version(package):
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status} ${Version}", package], capture_output=True, text=True
    )
    if result.returncode != 0 or not result.stdout.startswith("install ok installed"):
        return None
    return result.stdout.split()[-1]


def ensure_installed():
    missing = [p for p in PACKAGES.values() if installed_version(p) is None]
    for tool in ("man-db", "groff-base", "bsdextrautils"):
        if installed_version(tool) is None:
            missing.append(tool)
    if missing:
        print("Installing " + " ".join(missing), file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, check=True, env=env,
                       stdout=sys.stderr)
    for language, package in PACKAGES.items():
        print(f"{language}: {package} {installed_version(package)}", file=sys.stderr)


def pages_of(package):
    listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True)
    return sorted(p for p in listed.stdout.splitlines()
                  if re.search(r"/man[1-9]/[^/]+\.[1-9][a-z]*(\.gz)?$", p) and os.path.isfile(p))


def render(page):
    env = dict(os.environ, MANWIDTH="100", LANG="C.UTF-8", MAN_KEEP_FORMATTING="")
    try:
        shown = subprocess.run(["man", "--nh", "--nj", "-l", page], capture_output=True,
                               env=env, timeout=60)
    except subprocess.TimeoutExpired:
        return ""
    plain = subprocess.run(["col", "-bx"], input=shown.stdout, capture_output=True, env=env)
    return plain.stdout.decode("utf-8", errors="replace")


def paragraphs(rendered):
    """Body paragraphs of prose: blocks of lines indented as body text (seven columns; headings have
    fewer), option lines left out, lines joined."""
    found = []
    for block in re.split(r"\n\s*\n", rendered):
        lines = [line.strip() for line in block.splitlines()
                 if line.startswith(" " * 7) and not line.strip().startswith("-")]
        text = " ".join(lines)
        text = re.sub(r"\s+", " ", text).strip()
        non_space = [c for c in text if not c.isspace()]
        if len(text) < 60 or not non_space:
            continue
        if sum(c.isalpha() for c in non_space) / len(non_space) < 0.8:
            continue
        found.append(text)
    return found


# Words that mark an English sentence left in a translation the English page could not reveal
# (that page is not always installed).
ENGLISH_WORDS = {"the", "is", "are", "of", "and", "to", "with", "will", "be", "by", "this", "that",
                 "which", "when", "if", "it", "for", "an", "or", "not", "can", "from", "as"}
NON_LATIN = {"el", "ru", "uk", "ja", "zh"}


def plausible(language, paragraph):
    """False for a paragraph of a translated page that is likely English: one word in seven an
    English function word, or, for a language of another script, mostly Latin letters."""
    if language == "en":
        return True
    words = re.findall(r"[^\W\d_]+", paragraph.lower())
    if words and sum(w in ENGLISH_WORDS for w in words) / len(words) > 1 / 7:
        return False
    if language in NON_LATIN:
        letters = [c for c in paragraph if c.isalpha()]
        latin = [c for c in letters if c.isascii()]
        return len(latin) < len(letters) / 2
    return True


def english_original(page):
    """The English page of the same name, from /usr/share/man/manN, if one is installed."""
    match = re.search(r"/(man[1-9])/([^/]+)$", page)
    candidate = f"/usr/share/man/{match.group(1)}/{match.group(2)}"
    return candidate if os.path.isfile(candidate) and candidate != page else None


def cut(text, limit):
    """At most `limit` characters, cut at the last space past two thirds of it where there is one."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit * 2 // 3, limit + 1)
    return text[: space if space > 0 else limit]


def texts_of(language, package, rng):
    pages = pages_of(package)
    rng.shuffle(pages)
    short, long = [], []
    seen = set()
    for page in pages[:MAX_PAGES]:
        if len(short) >= SHORT_PER_LANGUAGE and len(long) >= LONG_PER_LANGUAGE:
            break
        found = paragraphs(render(page))
        original = english_original(page) if language != "en" else None
        if original:
            untranslated = set(paragraphs(render(original)))
            found = [p for p in found if p not in untranslated]
        # Footers and licence notices repeat across pages: each paragraph once.
        found = [p for p in found if p not in seen and plausible(language, p)]
        seen.update(found)
        source = page.replace("/usr/share/man/", "")
        taken = 0
        for paragraph in found:
            if len(short) < SHORT_PER_LANGUAGE and taken < SHORT_PER_PAGE and len(paragraph) >= SHORT_CHARS:
                short.append({"language": language, "length": "short", "source": source,
                              "text": cut(paragraph, SHORT_CHARS)})
                taken += 1
        joined = "\n".join(found)
        if len(long) < LONG_PER_LANGUAGE and len(joined) >= LONG_CHARS:
            long.append({"language": language, "length": "long", "source": source,
                         "text": cut(joined, LONG_CHARS)})
    print(f"{language}: {len(short)} short, {len(long)} long", file=sys.stderr)
    return short + long


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ensure_installed()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for language, package in PACKAGES.items():
            for text in texts_of(language, package, random.Random(19)):
                out.write(json.dumps(text, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
