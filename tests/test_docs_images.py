"""The README shows the pictures under docs/images/, and only those that exist.

A picture the README names but nobody produced shows as a broken image on the project page; a
picture in docs/images/ that nothing shows is dead weight in every clone.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGE = re.compile(r"!\[([^\]]*)\]\((docs/images/[^)]+)\)")


def readme_images() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {path: alt for alt, path in IMAGE.findall(text)}


def test_every_picture_in_the_readme_exists_and_has_a_description() -> None:
    shown = readme_images()
    assert shown, "the README shows no pictures from docs/images/"
    for path, alt in shown.items():
        assert (ROOT / path).is_file(), f"README shows {path}, which does not exist"
        assert alt.strip(), f"README shows {path} without a text description"


def test_every_picture_in_docs_images_is_shown() -> None:
    shown = set(readme_images())
    for picture in sorted((ROOT / "docs" / "images").glob("*.png")):
        relative = picture.relative_to(ROOT).as_posix()
        assert relative in shown, f"{relative} is not shown in the README; show it or delete it"
